using System.Text.Encodings.Web;
using System.Text.Json;

namespace ShaveTracker.Web.Features.DemoData;

// What the MCP backlog tools receive and return, in the shapes of the GitHub and Azure DevOps servers.
internal sealed partial class DemoDataGenerator
{
    // Declared above the tool definitions that use them: static initialisers run in textual order within a file
    // only. The JSON is stored and shown as text, never embedded raw in HTML, so readable apostrophes beat \u0027.
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Indented = new(Compact) { WriteIndented = true };

    // Chat APIs receive the MCP tools' schemas with every request, so the executing_task prompts carry them too.
    private static readonly string GitHubToolDefinitions = JsonSerializer.Serialize(
        new[]
        {
            ToolDefinition("search_issues", "Search for issues in GitHub repositories using the issues search syntax.",
                [("query", "string", "Search query, e.g. 'repo:owner/name is:issue is:open login'"), ("perPage", "number", "Results per page (1-100)")]),
            ToolDefinition("get_issue", "Get the details of an issue in a GitHub repository.",
                [("owner", "string", "Repository owner"), ("repo", "string", "Repository name"), ("issue_number", "number", "Issue number")]),
            ToolDefinition("create_issue", "Create a new issue in a GitHub repository.",
                [("owner", "string", "Repository owner"), ("repo", "string", "Repository name"), ("title", "string", "Issue title"),
                 ("body", "string", "Issue body in Markdown"), ("labels", "array", "Labels to apply"), ("assignees", "array", "Usernames to assign")]),
            ToolDefinition("add_issue_comment", "Add a comment to an existing issue.",
                [("owner", "string", "Repository owner"), ("repo", "string", "Repository name"), ("issue_number", "number", "Issue number"), ("body", "string", "Comment text in Markdown")]),
            VideoMetadataToolDefinition(),
        },
        Indented);

    private static readonly string AzureDevOpsToolDefinitions = JsonSerializer.Serialize(
        new[]
        {
            ToolDefinition("search_work_items", "Search work items in an Azure DevOps project by text.",
                [("project", "string", "Project name"), ("searchText", "string", "Text to search for"), ("top", "number", "Maximum number of results")]),
            ToolDefinition("get_work_item", "Get a work item by id, with its fields.",
                [("project", "string", "Project name"), ("id", "number", "Work item id")]),
            ToolDefinition("create_work_item", "Create a work item of the given type with the given fields.",
                [("project", "string", "Project name"), ("workItemType", "string", "Bug, Product Backlog Item, Task, ..."),
                 ("fields", "object", "Field reference names and values, e.g. System.Title, System.Description, System.Tags")]),
            ToolDefinition("add_work_item_comment", "Add a comment to a work item.",
                [("project", "string", "Project name"), ("workItemId", "number", "Work item id"), ("text", "string", "Comment text")]),
            VideoMetadataToolDefinition(),
        },
        Indented);

    private static object ToolDefinition(string name, string description, IReadOnlyList<(string Name, string Type, string Description)> parameters) => new
    {
        type = "function",
        function = new
        {
            name,
            description,
            parameters = new
            {
                type = "object",
                properties = parameters.ToDictionary(p => p.Name, p => (object)new { type = p.Type, description = p.Description }),
                required = parameters.Take(Math.Min(parameters.Count, 3)).Select(p => p.Name),
            },
        },
    };

    private static object VideoMetadataToolDefinition() => ToolDefinition("update_video_metadata", "Update the title, description and privacy of a YouTube video.",
        [("videoId", "string", "YouTube video id"), ("title", "string", "New title"), ("description", "string", "New description"), ("privacyStatus", "string", "public, unlisted or private")]);

    private List<SimilarItem> SimilarItems(Run run)
    {
        var topics = run.Plan.Project?.Topics ?? DemoTopics.Unassigned;
        var newest = run.Backlog.LastItemNumber;
        return Enumerable.Range(0, _rng.Next(0, 4))
            .Select(_ => _rng.Pick(topics))
            .Distinct()
            .Select(topic => new SimilarItem(
                _rng.Next(Math.Max(1, newest - 400), newest + 1),
                topic,
                // The prompt forbids duplicates of open items, so an earlier report of the same topic is a closed one.
                IsOpen: topic != run.Plan.Topic && _rng.Chance(0.6)))
            .ToList();
    }

    private static object SearchArgs(Run run) => run.Backlog.Kind == BacklogKind.GitHub
        ? new { query = $"repo:{run.Backlog.Organization}/{run.Backlog.Name} is:issue {run.Plan.Topic.Area}", perPage = 5 }
        : new { project = run.Backlog.Name, searchText = run.Plan.Topic.Area, top = 5 };

    private static object SearchResult(Backlog backlog, List<SimilarItem> items) => backlog.Kind == BacklogKind.GitHub
        ? new
        {
            total_count = items.Count,
            incomplete_results = false,
            items = items.Select(i => new { number = i.Number, title = i.Topic.Title, state = i.IsOpen ? "open" : "closed", html_url = backlog.ItemUrl(i.Number) }),
        }
        : new
        {
            count = items.Count,
            results = items.Select(i => new Dictionary<string, object>
            {
                ["id"] = i.Number,
                ["System.Title"] = i.Topic.Title,
                ["System.State"] = i.IsOpen ? "Active" : "Closed",
                ["url"] = backlog.ItemUrl(i.Number),
            }),
        };

    private static object GetArgs(Backlog backlog, int number) => backlog.Kind == BacklogKind.GitHub
        ? new { owner = backlog.Organization, repo = backlog.Name, issue_number = number }
        : new { project = backlog.Name, id = number };

    private static object GetResult(Backlog backlog, SimilarItem item) => backlog.Kind == BacklogKind.GitHub
        ? new
        {
            number = item.Number,
            title = item.Topic.Title,
            state = "closed",
            state_reason = "completed",
            body = $"## Pain\n{Sentence(item.Topic.Problem)}\n\n## Acceptance Criteria\n1. {Sentence(item.Topic.Expected)}",
            html_url = backlog.ItemUrl(item.Number),
        }
        : new
        {
            id = item.Number,
            fields = new Dictionary<string, object>
            {
                ["System.Title"] = item.Topic.Title,
                ["System.State"] = "Closed",
                ["System.Reason"] = "Fixed",
                ["System.Description"] = Sentence(item.Topic.Problem),
            },
            url = backlog.ItemUrl(item.Number),
        };

    private static object CreateArgs(Run run, string body)
    {
        var backlog = run.Backlog;
        var topic = run.Plan.Topic;
        return backlog.Kind == BacklogKind.GitHub
            ? new
            {
                owner = backlog.Organization,
                repo = backlog.Name,
                title = run.PipelineTitle,
                body,
                labels = new[] { topic.IsBug ? "bug" : "enhancement", "yakshaver" },
                assignees = new[] { run.Plan.Requester.Handle },
            }
            : new
            {
                project = backlog.Name,
                workItemType = topic.IsBug ? "Bug" : "Product Backlog Item",
                fields = new Dictionary<string, object>
                {
                    ["System.Title"] = run.PipelineTitle,
                    ["System.Description"] = body,
                    ["System.Tags"] = "YakShaver",
                },
            };
    }

    private static object CreateResult(Run run, int number) => run.Backlog.Kind == BacklogKind.GitHub
        ? new { number, title = run.PipelineTitle, state = "open", html_url = run.Backlog.ItemUrl(number) }
        : new
        {
            id = number,
            rev = 1,
            fields = new Dictionary<string, object> { ["System.Title"] = run.PipelineTitle, ["System.State"] = "New" },
            url = run.Backlog.ItemUrl(number),
        };

    private static object SearchError(Backlog backlog) => backlog.Kind == BacklogKind.GitHub
        ? new
        {
            error = new
            {
                status = 403,
                message = "API rate limit exceeded for installation ID 48213977.",
                documentation_url = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api",
            },
        }
        : new { error = new { status = 401, message = "TF400813: The user is not authorized to access this resource." } };

    private static object CreateError(Run run) => run.Backlog.Kind == BacklogKind.GitHub
        ? new
        {
            error = new
            {
                status = 422,
                message = "Validation Failed",
                errors = new[] { new { resource = "Issue", field = "assignees", code = "invalid", value = run.Plan.Requester.Handle } },
            },
        }
        : new { error = new { code = -32000, message = "Connection closed" } };

    private sealed record SimilarItem(int Number, Topic Topic, bool IsOpen);
}
