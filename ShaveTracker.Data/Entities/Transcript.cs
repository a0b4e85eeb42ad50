namespace ShaveTracker.Data.Entities;

/// <summary>transcripts: what the requester said in the recording. Text can be megabytes.</summary>
public sealed class Transcript
{
    public Guid Id { get; set; }
    public Guid ShaveId { get; set; }
    public string Text { get; set; } = "";
    public DateTime CreatedAt { get; set; }

    public Shave? Shave { get; set; }
}
