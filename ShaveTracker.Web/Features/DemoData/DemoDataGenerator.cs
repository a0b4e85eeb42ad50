using ShaveTracker.Web.Shared;
using Microsoft.AspNetCore.Identity;
using ShaveTracker.Data.Entities;

namespace ShaveTracker.Web.Features.DemoData;

/// <summary>The demo rows, built in memory and saved in one go.</summary>
internal sealed class DemoDataSet
{
    public List<User> Users { get; } = [];
    public List<LocalAccount> LocalAccounts { get; } = [];
    public List<UserRole> UserRoles { get; } = [];
    public List<Project> Projects { get; } = [];
    public List<VideoFile> VideoFiles { get; } = [];
    public List<Shave> Shaves { get; } = [];
    public List<ProcessStep> ProcessSteps { get; } = [];
    public List<Transcript> Transcripts { get; } = [];
    public List<AiLog> AiLogs { get; } = [];
    public List<ToolCall> ToolCalls { get; } = [];
    public List<UserActivity> UserActivities { get; } = [];
}

/// <summary>
/// Builds the demo data from one seeded random source. It first plans every shave (status, steps, times, who,
/// which project), then writes each one out in time order, so that ids and work item numbers grow with time.
/// </summary>
internal sealed partial class DemoDataGenerator(DateTime now, string password, bool longTrace = true)
{
    private const int Seed = 20261124;

    /// <summary>
    /// The tokens a demo model call reports, as real pipelines do: about four characters a token, plus the system
    /// prompt and tool definitions every call sends (a fixed 600 input tokens), so that the demo's calls have a cost.
    /// </summary>
    public static AiLogUsage UsageOf(AiLog log) =>
        AiLogUsage.For(log, 600 + (log.PromptText?.Length ?? 0) / 4, Math.Max(1, (log.ResponseText?.Length ?? 0) / 4));
    private const int HistoryDays = 60;

    /// <summary>About 300 shaves; mostly finished, with enough of every other status to fill each filter.</summary>
    private static readonly IReadOnlyList<(ShaveStatus Status, int Count)> StatusMix =
    [
        (ShaveStatus.Completed, 204),
        (ShaveStatus.Failed, 36),
        (ShaveStatus.Cancelled, 24),
        (ShaveStatus.Pending, 16),
        (ShaveStatus.Processing, 10),
        (ShaveStatus.Unknown, 10),
    ];

    private static readonly IReadOnlyList<(string Name, string FirstName, string Handle, string VideoFolder, string ArchiveFolder)> MicrosoftRequesters =
    [
        ("Priya Natarajan", "Priya", "priya-natarajan", @"C:\Users\priya.natarajan\Videos\YakShaver", @"C:\Users\priya.natarajan\OneDrive - Contoso\Videos"),
        ("Marco Rossi", "Marco", "mrossi", "/Users/marco/Movies/YakShaver", "/Users/marco/Desktop/old recordings"),
        ("Hannah Schmidt", "Hannah", "hannah-s", "/home/hannah/Videos/yakshaver", "/home/hannah/archive/yakshaver"),
        ("Kenji Watanabe", "Kenji", "kwatanabe", @"C:\Users\kenji\Videos\YakShaver", @"E:\Recordings\YakShaver"),
    ];

    private readonly DemoRandom _rng = new(Seed);
    private readonly DemoDataSet _data = new();
    private readonly List<Person> _people = [];
    private readonly List<DemoProject> _projects = [];

    /// <summary>Where the pipeline writes when it could not place a recording in a project.</summary>
    private readonly Backlog _inbox = new(BacklogKind.GitHub, "contoso", "yakshaver-inbox", 57);

    private Person Admin => _people[0];
    private Person Staff => _people[1];

    public DemoDataSet Generate()
    {
        AddPeople();
        AddProjects();
        foreach (var plan in PlanShaves())
        {
            AddShave(plan);
        }

        AddHeavyShaves();
        return _data;
    }

    private void AddPeople()
    {
        var hasher = new PasswordHasher<LocalAccount>();
        var since = now.AddDays(-120);
        AddLocalPerson(DemoAccounts.Admin, "Ada", "ada", @"C:\Users\ada\Videos\YakShaver", @"C:\Users\ada\OneDrive - Contoso\Recordings", 3, since, hasher);
        AddLocalPerson(DemoAccounts.Staff, "Sam", "sam-staff", "/Users/sam/Movies/YakShaver", "/Users/sam/Documents/Old recordings", 5, since.AddHours(1), hasher);
        AddLocalPerson(DemoAccounts.Alice, "Alice", "alice", @"C:\Users\alice\Videos\YakShaver", @"D:\Archive\YakShaver", 22, since.AddDays(3), hasher);
        AddLocalPerson(DemoAccounts.Bob, "Bob", "bob", "/Users/bob/Movies/YakShaver", "/Volumes/Backup/YakShaver", 18, since.AddDays(4), hasher);

        _data.UserRoles.Add(new UserRole { UserId = Admin.Id, Role = DemoAccounts.AdminRole, GrantedAt = since });
        _data.UserRoles.Add(new UserRole
        {
            UserId = Staff.Id, Role = DemoAccounts.StaffRole, GrantedAt = since.AddHours(1), GrantedBy = Admin.Id,
        });

        foreach (var (name, firstName, handle, videoFolder, archiveFolder) in MicrosoftRequesters)
        {
            var user = AddUser(_rng.UuidV4(), AuthProvider.Microsoft, name, now.AddDays(-_rng.Next(75, 110)).AddMinutes(_rng.Next(0, 600)));
            _people.Add(new Person(user.Id, name, firstName, handle, videoFolder, archiveFolder, 13));
        }
    }

    private void AddLocalPerson(
        DemoAccount account, string firstName, string handle, string videoFolder, string archiveFolder, int shaveWeight,
        DateTime createdAt, PasswordHasher<LocalAccount> hasher)
    {
        AddUser(account.Id, AuthProvider.Local, account.DisplayName, createdAt);
        var local = new LocalAccount { UserId = account.Id, UserName = account.UserName };
        local.PasswordHash = hasher.HashPassword(local, password);
        _data.LocalAccounts.Add(local);
        _people.Add(new Person(account.Id, account.DisplayName, firstName, handle, videoFolder, archiveFolder, shaveWeight));
    }

    private User AddUser(Guid id, AuthProvider provider, string displayName, DateTime createdAt)
    {
        var user = new User { Id = id, AuthProvider = provider, DisplayName = displayName, CreatedAt = createdAt };
        _data.Users.Add(user);
        return user;
    }

    private void AddProjects()
    {
        AddProject("Storefront Web", "Customer-facing web shop: catalogue, cart and checkout.",
            new Backlog(BacklogKind.GitHub, "contoso", "storefront-web", 1180), Admin, ProjectSources.Remote, null,
            DemoTopics.Storefront, [" on Safari", " in Firefox", " on iPhone", " after the latest release", " for guest users"],
            weight: 28, createdDaysAgo: 115);
        AddProject("Mobile App", "The iOS and Android customer app: orders, scanning and support chat.",
            new Backlog(BacklogKind.GitHub, "contoso", "mobile-app", 640), Staff, ProjectSources.Remote, DemoTexts.MobileCustomPrompt,
            DemoTopics.MobileApp, [" on Android", " on iOS 19", " on iPad", " after the 4.2 update"],
            weight: 18, createdDaysAgo: 112, updatedDaysAgo: 41);
        AddProject("Payments Platform", "Billing, invoices, refunds and payouts. Backlog owned by the Payments team.",
            new Backlog(BacklogKind.AzureDevOps, "contoso", "Payments", 4810), Staff, ProjectSources.Remote, DemoTexts.PaymentsCustomPrompt,
            DemoTopics.Payments, [" in production", " for some customers", " after the last deploy"],
            weight: 20, createdDaysAgo: 108, updatedDaysAgo: 20);
        AddProject("Intranet", "Staff intranet: timesheets, leave, directory and room booking.",
            new Backlog(BacklogKind.AzureDevOps, "fabrikam", "Intranet", 2290), _people[2], ProjectSources.Local, null,
            DemoTopics.Intranet, [" again", " since Monday", " in Edge"],
            weight: 12, createdDaysAgo: 95);
        AddProject("Legacy CRM", "The old CRM. Retired; kept so that older shaves still show where they went.",
            new Backlog(BacklogKind.GitHub, "fabrikam", "legacy-crm", 380), _people[4], ProjectSources.Local, null,
            DemoTopics.LegacyCrm, [" again", " for some users"],
            weight: 10, createdDaysAgo: 118, updatedDaysAgo: 30, isActive: false);
    }

    private void AddProject(
        string name, string description, Backlog backlog, Person owner, string source, string? customPrompt,
        IReadOnlyList<Topic> topics, IReadOnlyList<string> titleSuffixes, int weight, int createdDaysAgo,
        int? updatedDaysAgo = null, bool isActive = true)
    {
        var createdAt = now.AddDays(-createdDaysAgo).AddMinutes(_rng.Next(0, 600));
        DateTime? updatedAt = updatedDaysAgo is { } days ? now.AddDays(-days).AddMinutes(_rng.Next(0, 600)) : null;
        var project = new Project
        {
            Id = _rng.UuidV7(createdAt),
            UserId = owner.Id,
            Name = name,
            Description = description,
            BacklogUrl = backlog.Url,
            IsActive = isActive,
            Source = source,
            CustomPrompt = customPrompt,
            CreatedAt = createdAt,
            UpdatedAt = updatedAt,
        };
        _data.Projects.Add(project);
        _projects.Add(new DemoProject(project, backlog, topics, titleSuffixes, weight, isActive ? null : updatedAt));
    }

    private List<ShavePlan> PlanShaves()
    {
        var plans = StatusMix
            .SelectMany(mix => Enumerable.Repeat(mix.Status, mix.Count))
            .Select(PlanShave)
            .OrderBy(plan => plan.CreatedAt)
            .ToList();
        LinkReruns(plans);
        LinkMovedRecordings(plans);
        return plans;
    }

    private ShavePlan PlanShave(ShaveStatus status)
    {
        var failure = status == ShaveStatus.Failed ? _rng.PickWeighted(Failure.All, f => f.Weight) : null;
        var videoSeconds = 30 + (int)(570 * Math.Pow(_rng.NextDouble(), 2));
        var (steps, current) = PlanSteps(status, failure, videoSeconds);
        var createdAt = status switch
        {
            // The in-progress step must be running now, so a processing shave starts as long ago as its steps took.
            ShaveStatus.Processing => now.AddMilliseconds(-steps.Sum(s => s.GapMs + s.DurationMs)).AddSeconds(-_rng.Next(2, 20)),
            ShaveStatus.Pending => now.AddSeconds(-_rng.Next(120, 3 * 60 * 60)),
            _ => RandomPastWorkingTime(),
        };
        var project = failure?.Step == Steps.SelectingPrompt ? null : PickProject(createdAt, failure?.Kind);
        var topic = _rng.Pick(project?.Topics ?? DemoTopics.Unassigned);
        return new ShavePlan
        {
            Status = status,
            Steps = steps,
            Current = current,
            Failure = failure,
            CancelledByStaff = status == ShaveStatus.Cancelled && _rng.Chance(0.4),
            CreatedAt = createdAt,
            Requester = _rng.PickWeighted(_people, p => p.Weight),
            Project = project,
            Topic = topic,
            Title = TitleFor(topic, project),
            VideoSeconds = videoSeconds,
        };
    }

    /// <summary>
    /// The rows the pipeline reported, with the index of the step the run stopped at (-1: never started). Like the
    /// real pipeline, a run from a local recording skips downloading_video, and a run from a video URL skips
    /// uploading_video and updating_metadata, from the start.
    /// </summary>
    private (List<StepPlan> Steps, int Current) PlanSteps(ShaveStatus status, Failure? failure, int videoSeconds)
    {
        var count = Steps.All.Count;
        var current = status switch
        {
            ShaveStatus.Completed => count,
            ShaveStatus.Failed => IndexOf(failure!.Step),
            ShaveStatus.Processing => _rng.Next(0, count),
            ShaveStatus.Cancelled => _rng.Chance(0.3) ? -1 : _rng.Next(1, count - 1),
            ShaveStatus.Unknown => _rng.Next(2, count - 1),
            _ => -1,
        };
        if (current < 0)
        {
            // Queued but never picked up: the pipeline may or may not have registered its steps yet.
            return (_rng.Chance(0.5) ? [] : [.. Steps.All.Select(name => new StepPlan(name, ProcessStatus.NotStarted, 0, 0))], current);
        }

        var fromUrl = current switch
        {
            0 => false,
            1 => true,
            _ when current == count - 1 && status != ShaveStatus.Completed => false,
            _ => _rng.Chance(0.15),
        };
        var steps = new List<StepPlan>();
        for (var i = 0; i < count; i++)
        {
            var name = Steps.All[i];
            var skippedByRunKind = fromUrl ? name is Steps.UploadingVideo or Steps.UpdatingMetadata : name == Steps.DownloadingVideo;
            if (i > current && status == ShaveStatus.Unknown)
            {
                break; // the reports stopped arriving
            }

            var natural = NaturalDurationMs(name, videoSeconds);
            steps.Add((i < current, i == current) switch
            {
                _ when skippedByRunKind => new StepPlan(name, ProcessStatus.Skipped, 0, 0),
                (true, _) => new StepPlan(name, ProcessStatus.Completed, _rng.Next(50, 1500), natural),
                (_, true) when status == ShaveStatus.Failed =>
                    new StepPlan(name, ProcessStatus.Failed, _rng.Next(50, 1500), failure!.DurationMs ?? (int)(natural * _rng.Between(0.2, 1))),
                (_, true) when status == ShaveStatus.Processing =>
                    new StepPlan(name, ProcessStatus.InProgress, _rng.Next(50, 1500), (int)(natural * _rng.Between(0.1, 0.9))),
                (_, true) when status == ShaveStatus.Cancelled =>
                    new StepPlan(name, ProcessStatus.Skipped, _rng.Next(50, 1500), (int)(natural * _rng.Between(0.1, 0.9))),
                (_, true) => new StepPlan(name, ProcessStatus.Completed, _rng.Next(50, 1500), natural),
                _ => new StepPlan(name, ProcessStatus.NotStarted, 0, 0),
            });
        }

        return (steps, current);
    }

    private int NaturalDurationMs(string step, int videoSeconds) => step switch
    {
        Steps.UploadingVideo => (videoSeconds * _rng.Next(80, 250)) + _rng.Next(3_000, 8_000),
        Steps.DownloadingVideo => _rng.Next(4_000, 40_000),
        Steps.ConvertingAudio => _rng.Next(2_000, 20_000),
        Steps.Transcribing => (videoSeconds * _rng.Next(100, 300)) + _rng.Next(2_000, 6_000),
        Steps.OptimizingTranscript => _rng.Next(3_000, 18_000),
        Steps.AnalyzingTranscript => _rng.Next(4_000, 30_000),
        Steps.SelectingPrompt => _rng.Next(300, 4_000),
        Steps.ExecutingTask => _rng.Next(20_000, 150_000),
        Steps.UpdatingMetadata => _rng.Next(1_000, 9_000),
        _ => _rng.Next(1_000, 10_000),
    };

    private static int IndexOf(string step)
    {
        for (var i = 0; i < Steps.All.Count; i++)
        {
            if (Steps.All[i] == step)
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(step), step, "Not a pipeline step.");
    }

    /// <summary>Office hours on working days mostly, at least three hours ago, so that such a run has finished.</summary>
    private DateTime RandomPastWorkingTime()
    {
        var day = now.Date.AddDays(-_rng.Next(0, HistoryDays - 2));
        if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday && _rng.Chance(0.8))
        {
            day = day.AddDays(day.DayOfWeek == DayOfWeek.Saturday ? -1 : -2);
        }

        var at = day.AddMinutes(_rng.Next(7 * 60, 19 * 60)).AddSeconds(_rng.Next(0, 60));
        return at > now.AddHours(-3) ? at.AddDays(-1) : at;
    }

    private DemoProject? PickProject(DateTime createdAt, BacklogKind? requiredKind)
    {
        var options = _projects
            .Where(p => p.Entity.CreatedAt < createdAt && (p.DeactivatedAt is null || createdAt < p.DeactivatedAt))
            .Where(p => requiredKind is null || p.Backlog.Kind == requiredKind)
            .Select(p => (Project: (DemoProject?)p, p.Weight))
            .ToList();
        if (requiredKind is null || requiredKind == _inbox.Kind)
        {
            options.Add((null, 12));
        }

        return _rng.PickWeighted(options, o => o.Weight).Project;
    }

    private string TitleFor(Topic topic, DemoProject? project) =>
        topic.IsBug && project is not null && _rng.Chance(0.35)
            ? topic.Title + _rng.Pick(project.TitleSuffixes)
            : topic.Title;

    /// <summary>
    /// A few requesters ran a failed or cancelled recording again: the new shave's video_files row has the same path
    /// and file_hash as the first one's.
    /// </summary>
    private void LinkReruns(List<ShavePlan> plans)
    {
        var linked = 0;
        for (var i = 0; i < plans.Count && linked < 3; i++)
        {
            var first = plans[i];
            if (first.Status is not (ShaveStatus.Failed or ShaveStatus.Cancelled) || first.IsLinked || !_rng.Chance(0.3))
            {
                continue;
            }

            var rerun = plans.Skip(i + 1).FirstOrDefault(p =>
                p.Status == ShaveStatus.Completed && !p.IsLinked && p.Project == first.Project &&
                p.CreatedAt > first.CreatedAt.AddMinutes(10));
            if (rerun is null)
            {
                continue;
            }

            rerun.SameRecordingAs = first;
            rerun.CopyRecordingFrom(first);
            first.IsLinked = true;
            linked++;
        }
    }

    /// <summary>
    /// A few recordings were moved (a new path, the same hash) and submitted again to the same project: a new
    /// video_files row with the old row's file_hash.
    /// </summary>
    private void LinkMovedRecordings(List<ShavePlan> plans)
    {
        var linked = 0;
        for (var i = 30; i < plans.Count && linked < 5; i++)
        {
            var copy = plans[i];
            if (copy.Status is not (ShaveStatus.Completed or ShaveStatus.Failed) || copy.IsLinked || !_rng.Chance(0.05))
            {
                continue;
            }

            var original = plans.Take(i).LastOrDefault(p => p.Project == copy.Project && !p.IsLinked);
            if (original is null)
            {
                continue;
            }

            copy.MovedCopyOf = original;
            copy.CopyRecordingFrom(original);
            original.IsLinked = true;
            linked++;
        }
    }

    private sealed record Person(
        Guid Id, string DisplayName, string FirstName, string Handle, string VideoFolder, string ArchiveFolder, int Weight);

    private sealed record DemoProject(
        Project Entity, Backlog Backlog, IReadOnlyList<Topic> Topics, IReadOnlyList<string> TitleSuffixes, int Weight,
        DateTime? DeactivatedAt);

    private sealed record StepPlan(string Name, ProcessStatus Status, int GapMs, int DurationMs);

    private sealed class ShavePlan
    {
        public required ShaveStatus Status { get; init; }
        public required List<StepPlan> Steps { get; init; }

        /// <summary>The index in <see cref="DemoData.Steps.All"/> where the run stopped; -1 if it never started.</summary>
        public required int Current { get; init; }

        public Failure? Failure { get; init; }
        public bool CancelledByStaff { get; init; }
        public required DateTime CreatedAt { get; init; }
        public required Person Requester { get; set; }
        public DemoProject? Project { get; init; }
        public required Topic Topic { get; set; }
        public required string Title { get; set; }
        public required int VideoSeconds { get; set; }
        public ShavePlan? SameRecordingAs { get; set; }
        public ShavePlan? MovedCopyOf { get; set; }

        /// <summary>Already part of a re-run or a moved-file pair.</summary>
        public bool IsLinked { get; set; }

        /// <summary>Set when the shave is written out.</summary>
        public VideoFile? Video { get; set; }

        public void CopyRecordingFrom(ShavePlan other)
        {
            Requester = other.Requester;
            Topic = other.Topic;
            Title = other.Title;
            VideoSeconds = other.VideoSeconds;
            IsLinked = true;
        }
    }
}
