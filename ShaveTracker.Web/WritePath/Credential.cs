namespace ShaveTracker.Web.WritePath;

/// <summary>What a credential may write (see docs/architecture.md, "The permission model").</summary>
public enum CredentialScope
{
    /// <summary>
    /// A worker: an API key or an Entra application token. It may write any shave, but not move an existing shave to
    /// another requester (that would hand the shave's transcript to someone else).
    /// </summary>
    Worker,

    /// <summary>A person's own token (the YakShaver Desktop's sign-in): it writes only that person's shaves.</summary>
    Person,
}

/// <summary>
/// The credential a report came with: its scope, a stable id for logs and the audit trail (<c>apikey:{id}</c>,
/// <c>app:{client id}</c>, <c>user:{user id}</c>), a name people recognise, and for a person's credential, who.
/// </summary>
public sealed record Credential(CredentialScope Scope, string Id, string Name, Guid? PersonId = null)
{
    public static Credential Worker(string id, string name) => new(CredentialScope.Worker, id, name);

    public static Credential Person(Guid userId, string name) => new(CredentialScope.Person, $"user:{userId}", name, userId);

    /// <summary>True when this credential may write this requester's shave.</summary>
    public bool MayWriteShaveOf(Guid requesterId) => Scope == CredentialScope.Worker || PersonId == requesterId;

    /// <summary>The audit trail's user: the person for their own credential, nobody (a machine) for a worker.</summary>
    public Guid? AuditUserId => Scope == CredentialScope.Person ? PersonId : null;

    /// <summary>How the audit trail names it (the <c>credential</c> of an activity's details).</summary>
    public object AuditName => new { id = Id, name = Name, scope = Scope == CredentialScope.Worker ? "worker" : "person" };

    public override string ToString() => Id;
}
