namespace ShaveTracker.Data.Entities;

/// <summary>users: a person who signs in. For Microsoft accounts the id is the Entra object id.</summary>
public sealed class User
{
    public const int DisplayNameMaxLength = 256;

    public Guid Id { get; set; }
    public AuthProvider AuthProvider { get; set; }
    public string DisplayName { get; set; } = "";
    public DateTime CreatedAt { get; set; }

    public List<Project> Projects { get; } = [];
    public List<Shave> Shaves { get; } = [];
}
