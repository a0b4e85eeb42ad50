namespace ShaveTracker.Data.Entities;

/// <summary>video_files: the recording a shave came from. <see cref="FileHash"/> finds a moved file again.</summary>
public sealed class VideoFile
{
    public const int FileNameMaxLength = 512;
    public const int FilePathMaxLength = 2048;
    public const int FileHashMaxLength = 128;

    public Guid Id { get; set; }
    public string FileName { get; set; } = "";
    public string? FilePath { get; set; }
    public string? FileHash { get; set; }

    /// <summary>Length of the recording in seconds.</summary>
    public int Duration { get; set; }

    public DateTime CreatedAt { get; set; }

    public List<Shave> Shaves { get; } = [];
}
