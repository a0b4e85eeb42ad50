using System.Globalization;
using System.Text;
using System.Text.Json;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.WritePath;

namespace ShaveTracker.Web.Features.DemoData;

// Writing out one planned shave: its recording, steps, transcript, model calls, tool calls and audit trail, each
// consistent with how far the run got.
internal sealed partial class DemoDataGenerator
{
    private static readonly IReadOnlyList<(string Model, int Weight)> MainModels =
        [("gpt-4o", 45), ("claude-sonnet-4", 30), ("gpt-4.1", 15), ("o3-mini", 10)];

    private void AddShave(ShavePlan plan)
    {
        var video = AddVideo(plan);
        var analysed = plan.Steps.Any(s => s.Name == Steps.AnalyzingTranscript && s.Status == ProcessStatus.Completed);
        var shave = new Shave
        {
            Id = _rng.UuidV7(plan.CreatedAt),
            Title = analysed || !_rng.Chance(0.4) ? plan.Title : $"Recording {Path.GetFileNameWithoutExtension(video.FileName)}",
            VideoFileId = video.Id,
            RequesterId = plan.Requester.Id,
            ProjectId = plan.Project?.Entity.Id,
            ShaveStatus = plan.Status,
            WorkItemSource = plan.Project is null || _rng.Chance(0.15) ? "YakShaver Desktop" : plan.Project.Backlog.WorkItemSource,
            CreatedAt = plan.CreatedAt,
        };
        _data.Shaves.Add(shave);

        var audited = plan.Status == ShaveStatus.Cancelled || _rng.Chance(0.4);
        var titleFixed = audited && analysed && plan.Status is ShaveStatus.Completed or ShaveStatus.Failed && _rng.Chance(0.35);
        var run = new Run
        {
            Plan = plan,
            Shave = shave,
            Backlog = plan.Project?.Backlog ?? _inbox,
            MainModel = _rng.PickWeighted(MainModels, m => m.Weight).Model,
            SmallModel = _rng.Chance(0.8) ? "gpt-4.1-mini" : "o3-mini",
            PipelineTitle = titleFixed ? Fill(_rng.Pick(DemoTexts.VagueTitles), plan.Topic) : shave.Title,
        };

        var steps = AddSteps(run);
        foreach (var step in steps.Where(s => s.ProcessStatus != ProcessStatus.NotStarted))
        {
            AddStepOutput(run, step);
        }

        var reported = steps.Where(s => s.ProcessStatus != ProcessStatus.NotStarted).ToList();
        var lastReport = reported.Count == 0 ? (DateTime?)null : reported.Max(s => s.CompletedAt ?? s.StartedAt);
        shave.VideoEmbedUrl = run.YouTubeId is null ? null : $"https://www.youtube.com/embed/{run.YouTubeId}";
        shave.WorkItemUrl = run.WorkItemUrl;
        shave.UpdatedAt = lastReport;
        if (audited)
        {
            AddActivities(run, lastReport ?? plan.CreatedAt, titleFixed);
        }
    }

    private VideoFile AddVideo(ShavePlan plan)
    {
        VideoFile video;
        if (plan.SameRecordingAs?.Video is { } same)
        {
            // A video_files row is the source of at most one shave (docs/data-model.md), so a re-run of the same recording gets
            // a row of its own that the hash ties to the first.
            video = new VideoFile
            {
                FileName = same.FileName,
                FilePath = same.FilePath,
                FileHash = same.FileHash ??= _rng.Hex(32),
                Duration = same.Duration,
                CreatedAt = plan.CreatedAt.AddSeconds(-_rng.Next(5, 120)),
            };
        }
        else if (plan.MovedCopyOf?.Video is { } original)
        {
            video = new VideoFile
            {
                FileName = original.FileName,
                FilePath = InFolder(plan.Requester.ArchiveFolder, original.FileName),
                FileHash = original.FileHash ??= _rng.Hex(32),
                Duration = original.Duration,
                CreatedAt = plan.CreatedAt.AddSeconds(-_rng.Next(5, 120)),
            };
        }
        else
        {
            // Recorders name files after the moment recording started.
            var recordedUntil = plan.CreatedAt.AddSeconds(-_rng.Next(5, 900));
            var fileName = recordedUntil.AddSeconds(-plan.VideoSeconds).ToString("yyyy-MM-dd HH-mm-ss", CultureInfo.InvariantCulture) + ".mp4";
            video = new VideoFile
            {
                FileName = fileName,
                FilePath = _rng.Chance(0.05) ? null : InFolder(plan.Requester.VideoFolder, fileName),
                FileHash = _rng.Chance(0.03) ? null : _rng.Hex(32),
                Duration = plan.VideoSeconds,
                CreatedAt = recordedUntil,
            };
        }

        video.Id = _rng.UuidV7(video.CreatedAt);
        _data.VideoFiles.Add(video);
        plan.Video = video;
        return video;
    }

    private static string InFolder(string folder, string fileName) =>
        folder + (folder.Contains('\\', StringComparison.Ordinal) ? '\\' : '/') + fileName;

    /// <summary>
    /// Steps not reached yet get started_at one millisecond after the previous row, so that ordering a shave's
    /// steps by started_at always gives pipeline order.
    /// </summary>
    private List<ProcessStep> AddSteps(Run run)
    {
        var plan = run.Plan;
        var cursor = plan.CreatedAt;
        var rows = new List<ProcessStep>();
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            var start = cursor.AddMilliseconds(Math.Max(1, step.GapMs));
            DateTime? end = step.Status is ProcessStatus.NotStarted or ProcessStatus.InProgress ? null : start.AddMilliseconds(step.DurationMs);
            cursor = end ?? start;
            rows.Add(new ProcessStep
            {
                Id = _rng.UuidV7(start),
                ShaveId = run.Shave.Id,
                StepName = step.Name,
                ProcessStatus = step.Status,
                StartedAt = start,
                CompletedAt = end,
                ErrorMessage = i != plan.Current ? null : plan.Status switch
                {
                    ShaveStatus.Failed => plan.Failure!.Message.Replace("{model}", run.MainModel, StringComparison.Ordinal),
                    ShaveStatus.Cancelled => $"Cancelled by {(plan.CancelledByStaff ? Staff : plan.Requester).DisplayName}",
                    _ => null,
                },
            });
        }

        _data.ProcessSteps.AddRange(rows);
        return rows;
    }

    private void AddStepOutput(Run run, ProcessStep step)
    {
        var finished = step.ProcessStatus == ProcessStatus.Completed;
        switch (step.StepName)
        {
            case Steps.UploadingVideo or Steps.DownloadingVideo when finished:
                run.YouTubeId = _rng.YouTubeId();
                break;
            case Steps.Transcribing when finished:
                AddTranscript(run, step);
                break;
            case Steps.OptimizingTranscript when finished:
                AddOptimizeCall(run, step);
                break;
            case Steps.AnalyzingTranscript when step.ProcessStatus is ProcessStatus.Completed or ProcessStatus.Failed:
                AddAnalyzeCall(run, step);
                break;
            case Steps.ExecutingTask:
                AddExecution(run, step);
                break;
            case Steps.UpdatingMetadata when step.ProcessStatus is ProcessStatus.Completed or ProcessStatus.Failed:
                AddMetadataUpdate(run, step);
                break;
        }
    }

    private void AddTranscript(Run run, ProcessStep step)
    {
        run.Report = SpeakReport(run);
        _data.Transcripts.Add(new Transcript
        {
            Id = _rng.UuidV7(step.CompletedAt!.Value),
            ShaveId = run.Shave.Id,
            Text = run.Report.Text,
            CreatedAt = step.CompletedAt.Value,
        });
    }

    /// <summary>A spoken report of the topic: opener, what happens, why it matters, what should happen, goodbye.</summary>
    private SpokenReport SpeakReport(Run run)
    {
        var plan = run.Plan;
        var topic = plan.Topic;
        var impact = _rng.Pick(topic.IsBug ? DemoTexts.BugImpacts : DemoTexts.TaskImpacts);
        var browser = _rng.Pick(DemoTexts.Browsers);
        var otherBrowser = _rng.Pick(DemoTexts.Browsers.Where(b => b != browser).ToList());
        var colleague = _rng.Pick(DemoTexts.Colleagues);
        var inProject = plan.Project is not null && _rng.Chance(0.4) ? $" in {plan.Project.Entity.Name}" : "";

        // People talk at roughly a sentence every 25 seconds between the clicking, so longer recordings say more.
        var sentences = (topic.IsBug ? DemoTexts.BugDetails : DemoTexts.TaskDetails).Concat(DemoTexts.Narration).ToArray();
        _rng.Shuffle(sentences);
        var said = sentences.Take(2 + (plan.VideoSeconds / 25)).ToList();
        var paragraphs = new List<string> { _rng.Pick(topic.IsBug ? DemoTexts.BugOpeners : DemoTexts.TaskOpeners) };
        while (said.Count > 0)
        {
            var length = Math.Min(said.Count, _rng.Next(2, 4));
            paragraphs.Add(string.Join(' ', said.Take(length)));
            said.RemoveRange(0, length);
        }

        paragraphs.Add(impact.Spoken);
        paragraphs.Add(_rng.Pick(topic.IsBug ? DemoTexts.ExpectedLines : DemoTexts.TaskExpectedLines) + " " + _rng.Pick(DemoTexts.Closings));

        var text = Fill(string.Join("\n\n", paragraphs), topic)
            .Replace("{name}", plan.Requester.FirstName, StringComparison.Ordinal)
            .Replace("{inProject}", inProject, StringComparison.Ordinal)
            .Replace("{browser}", browser, StringComparison.Ordinal)
            .Replace("{otherBrowser}", otherBrowser, StringComparison.Ordinal)
            .Replace("{colleague}", colleague, StringComparison.Ordinal);
        var mentions = new[] { browser, otherBrowser, colleague }.Where(m => text.Contains(m, StringComparison.Ordinal)).ToList();
        return new SpokenReport(text, WithoutFillers(text), impact, mentions);
    }

    private static string Fill(string template, Topic topic) => template
        .Replace("{area}", topic.Area, StringComparison.Ordinal)
        .Replace("{problem}", topic.Problem, StringComparison.Ordinal)
        .Replace("{expected}", topic.Expected, StringComparison.Ordinal);

    /// <summary>What the optimizing_transcript step gives back: the same words, without the ums and uhs.</summary>
    private static string WithoutFillers(string text) => text
        .Replace(", um,", "", StringComparison.Ordinal)
        .Replace(", uh,", "", StringComparison.Ordinal)
        .Replace("Um, ", "", StringComparison.Ordinal)
        .Replace("Uh, ", "", StringComparison.Ordinal);

    private void AddOptimizeCall(Run run, ProcessStep step)
    {
        var prompt = Turn("system", DemoTexts.OptimizeSystemPrompt)
            + Turn("user", "Please correct the following auto-generated transcript:\n\n" + run.Report!.Text);
        var timeline = new CallTimeline();
        timeline.Add(NewAiLog(run, step, run.SmallModel, prompt, run.Report.Cleaned), _rng.Next(2_000, 14_000), _rng.Next(50, 400));
        Place(timeline, step.StartedAt, SpanMs(step));
    }

    private void AddAnalyzeCall(Run run, ProcessStep step)
    {
        var report = run.Report!;
        var topic = run.Plan.Topic;
        run.AnalysisJson = JsonSerializer.Serialize(
            new
            {
                title = run.PipelineTitle,
                type = topic.IsBug ? "bug" : "task",
                summary = Sentence(topic.Problem),
                pain = report.Impact.Written,
                expectedBehaviour = Sentence(topic.Expected),
                stepsToReproduce = topic.IsBug
                    ? new[] { $"Open the {topic.Area}", "Do what the requester does in the video", $"Observe: {topic.Problem}" }
                    : [],
                labels = new[] { topic.IsBug ? "bug" : "enhancement", "yakshaver" },
                priority = report.Impact.Priority,
                mentions = report.Mentions,
            },
            Indented);
        var prompt = Turn("system", DemoTexts.AnalyzeSystemPrompt)
            + Turn("user", "Process the following transcript into a structured JSON object:\n\n" + report.Cleaned);
        var failed = step.ProcessStatus == ProcessStatus.Failed;
        var timeline = new CallTimeline();
        timeline.Add(NewAiLog(run, step, run.MainModel, prompt, failed ? null : run.AnalysisJson), _rng.Next(3_000, 25_000), _rng.Next(50, 400));
        Place(timeline, step.StartedAt, SpanMs(step));

        if (!failed && _rng.Chance(0.12))
        {
            // Some clients ask a small model for a title on the side; that call belongs to no step.
            var titleCall = new CallTimeline();
            var titlePrompt = Turn("system", DemoTexts.TitleSystemPrompt) + Turn("user", report.Cleaned);
            titleCall.Add(NewAiLog(run, null, run.SmallModel, titlePrompt, run.PipelineTitle), _rng.Next(800, 3_000), _rng.Next(100, 600));
            Place(titleCall, step.CompletedAt!.Value, double.MaxValue);
        }
    }

    private void AddExecution(Run run, ProcessStep step)
    {
        var outcome = step.ProcessStatus switch
        {
            ProcessStatus.Completed => ExecutionOutcome.Created,
            ProcessStatus.Failed => run.Plan.Failure!.Outcome ?? ExecutionOutcome.NoWorkItem,
            _ => ExecutionOutcome.Interrupted,
        };
        var timeline = new CallTimeline();
        WriteExecution(run, step, outcome, timeline);
        Place(timeline, step.StartedAt, SpanMs(step));
    }

    /// <summary>
    /// The agent loop as the pipeline logs it: a model call that searches the backlog, maybe one that looks at a
    /// similar old item, one that writes the work item and creates it, and sometimes a closing summary. Each model
    /// call's prompt is the whole conversation so far, as chat APIs receive it.
    /// </summary>
    private void WriteExecution(Run run, ProcessStep step, ExecutionOutcome outcome, CallTimeline timeline)
    {
        var backlog = run.Backlog;
        var conversation = new StringBuilder(ExecutionPrompt(run));

        var search = NewToolCall(run, step, backlog.ServiceName, backlog.SearchTool, SearchArgs(run));
        var planner = NewAiLog(run, step, run.MainModel, conversation.ToString(),
            ToolCallReply($"I'll search {backlog.Organization}/{backlog.Name} for an existing item about the {run.Plan.Topic.Area} before writing a new one.", search));
        timeline.Add(planner, _rng.Next(2_000, 15_000), _rng.Next(100, 800));
        conversation.Append(Turn("assistant", planner.ResponseText!));
        if (outcome == ExecutionOutcome.Interrupted && _rng.Chance(0.4))
        {
            return;
        }

        if (outcome == ExecutionOutcome.SearchFailed)
        {
            Finish(search, success: false, SearchError(backlog));
            timeline.Add(search, planner, _rng.Next(200, 1_500), _rng.Next(50, 300));
            return;
        }

        var similar = SimilarItems(run);
        if (outcome == ExecutionOutcome.Created && _rng.Chance(0.08))
        {
            // A transient MCP timeout, retried by the client under a new call id.
            Finish(search, success: false, new { error = new { code = -32001, message = "Request timed out" } });
            timeline.Add(search, planner, 30_000, _rng.Next(50, 300));
            search = NewToolCall(run, step, backlog.ServiceName, backlog.SearchTool, SearchArgs(run));
        }

        Finish(search, success: true, SearchResult(backlog, similar));
        timeline.Add(search, planner, _rng.Next(300, 2_500), _rng.Next(50, 300));
        conversation.Append(ToolTurn(search));
        if (outcome == ExecutionOutcome.Interrupted)
        {
            return;
        }

        var duplicate = similar.FirstOrDefault(item => item.Topic == run.Plan.Topic);
        if (duplicate is not null)
        {
            var get = NewToolCall(run, step, backlog.ServiceName, backlog.GetTool, GetArgs(backlog, duplicate.Number));
            var checker = NewAiLog(run, step, run.MainModel, conversation.ToString(),
                ToolCallReply($"{Capitalized(backlog.ItemLabel(duplicate.Number))} looks related. Let me check it before creating anything.", get));
            timeline.Add(checker, _rng.Next(1_500, 10_000), _rng.Next(100, 800));
            Finish(get, success: true, GetResult(backlog, duplicate));
            timeline.Add(get, checker, _rng.Next(200, 1_200), _rng.Next(50, 300));
            conversation.Append(Turn("assistant", checker.ResponseText!)).Append(ToolTurn(get));
        }

        if (outcome == ExecutionOutcome.NoWorkItem)
        {
            var giveUp = NewAiLog(run, step, run.MainModel, conversation.ToString(), _rng.Pick(DemoTexts.NoWorkItemReplies));
            timeline.Add(giveUp, _rng.Next(2_000, 12_000), _rng.Next(100, 800));
            return;
        }

        var body = WorkItemMarkdown(run);
        var create = NewToolCall(run, step, backlog.ServiceName, backlog.CreateTool, CreateArgs(run, body));
        var intro = duplicate is null
            ? "No open item covers this, so I'll create one:"
            : $"{Capitalized(backlog.ItemLabel(duplicate.Number))} is closed and was about an older occurrence, so I'll create a new item:";
        var writer = NewAiLog(run, step, run.MainModel, conversation.ToString(), ToolCallReply($"{intro}\n\n{body}", create));
        timeline.Add(writer, _rng.Next(4_000, 30_000), _rng.Next(100, 800));
        if (outcome == ExecutionOutcome.CreateFailed)
        {
            Finish(create, success: false, CreateError(run));
            timeline.Add(create, writer, _rng.Next(300, 3_000), _rng.Next(50, 300));
            return;
        }

        var number = backlog.AllocateItemNumber(_rng);
        run.WorkItemUrl = backlog.ItemUrl(number);
        Finish(create, success: true, CreateResult(run, number));
        timeline.Add(create, writer, _rng.Next(600, 4_000), _rng.Next(50, 300));
        if (duplicate is null && _rng.Chance(0.6))
        {
            conversation.Append(Turn("assistant", writer.ResponseText!)).Append(ToolTurn(create));
            var summary = NewAiLog(run, step, run.MainModel, conversation.ToString(),
                $"Created {backlog.ItemLabel(number)}: {run.WorkItemUrl}\n\n\"{run.PipelineTitle}\", requested by @{run.Plan.Requester.Handle}, with the video linked and {(run.Plan.Topic.IsBug ? "the bug" : "the request")} written up under Pain, Acceptance Criteria and Screenshot.");
            timeline.Add(summary, _rng.Next(1_500, 8_000), _rng.Next(100, 800));
        }
    }

    private static string ExecutionPrompt(Run run)
    {
        var plan = run.Plan;
        var system = DemoTexts.ExecuteSystemPrompt;
        if (plan.Project?.Entity.CustomPrompt is { } custom)
        {
            system += "\n\n## Project instructions\n\n" + custom;
        }

        var backlog = run.Backlog;
        var user = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Project: {plan.Project?.Entity.Name ?? "(none selected: use the default backlog)"}")
            .AppendLine(CultureInfo.InvariantCulture, $"Backlog: {backlog.Url}")
            .AppendLine(CultureInfo.InvariantCulture, $"Requester: @{plan.Requester.Handle}")
            .AppendLine(CultureInfo.InvariantCulture, $"Video: {run.WatchUrl} ({Clock(plan.VideoSeconds)})")
            .AppendLine()
            .AppendLine("Analysis:")
            .AppendLine(run.AnalysisJson)
            .AppendLine()
            .AppendLine("Transcript:")
            .Append(run.Report!.Cleaned);
        var tools = backlog.Kind == BacklogKind.GitHub ? GitHubToolDefinitions : AzureDevOpsToolDefinitions;
        return Turn("system", system) + Turn("tools", tools) + Turn("user", user.ToString());
    }

    private string WorkItemMarkdown(Run run)
    {
        var plan = run.Plan;
        var topic = plan.Topic;
        var criteria = new List<string> { Sentence(topic.Expected) };
        var extras = DemoTexts.ExtraCriteria.ToArray();
        _rng.Shuffle(extras);
        criteria.AddRange(extras.Take(_rng.Next(1, 3)));
        var frameSeconds = _rng.Next(3, Math.Max(4, plan.VideoSeconds - 2));
        var body = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Requested by @{plan.Requester.Handle} via YakShaver")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"[Watch the video ({Clock(plan.VideoSeconds)})]({run.WatchUrl})")
            .AppendLine()
            .AppendLine("## Pain")
            .AppendLine(CultureInfo.InvariantCulture, $"{Sentence(topic.Problem)} {run.Report!.Impact.Written}")
            .AppendLine()
            .AppendLine("## Acceptance Criteria");
        for (var i = 0; i < criteria.Count; i++)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"{i + 1}. {criteria[i]}");
        }

        return body
            .AppendLine()
            .AppendLine("## Screenshot")
            .Append(CultureInfo.InvariantCulture, $"![{Capitalized(topic.Area)} at {Clock(frameSeconds)}](https://media.yakshaver.example/frames/{run.YouTubeId}/{frameSeconds}.jpg)")
            .ToString();
    }

    /// <summary>The pipeline, not the model, sets the video's title and description once the work item exists.</summary>
    private void AddMetadataUpdate(Run run, ProcessStep step)
    {
        var call = NewToolCall(run, step, "youtube", "update_video_metadata", new
        {
            videoId = run.YouTubeId,
            title = run.PipelineTitle,
            description = $"{run.WorkItemUrl}\n\nRequested by @{run.Plan.Requester.Handle} via YakShaver",
            privacyStatus = "unlisted",
        });
        var success = step.ProcessStatus == ProcessStatus.Completed;
        Finish(call, success, success
            ? new { id = run.YouTubeId, status = "updated", snippet = new { title = run.PipelineTitle } }
            : new
            {
                error = new
                {
                    code = 403,
                    message = "The caller does not have permission to update this video.",
                    errors = new[] { new { reason = "insufficientPermissions", domain = "youtube.video" } },
                },
            });
        var timeline = new CallTimeline();
        timeline.Add(call, null, _rng.Next(400, 3_000), _rng.Next(50, 300));
        Place(timeline, step.StartedAt, SpanMs(step));
    }

    /// <summary>Who did what to the shave: it was created, and maybe retitled, filed under a project or cancelled.</summary>
    private void AddActivities(Run run, DateTime lastReport, bool titleFixed)
    {
        var plan = run.Plan;
        var shave = run.Shave;
        var filedLater = plan.Project is not null && plan.Status is ShaveStatus.Completed or ShaveStatus.Failed && _rng.Chance(0.2);
        AddActivity(run, plan.Requester, ActivityTypes.Created, shave.CreatedAt, null, new
        {
            title = run.PipelineTitle,
            project_id = filedLater ? null : shave.ProjectId,
            shave_status = nameof(ShaveStatus.Pending),
        });

        var at = lastReport;
        if (titleFixed && NextActivityTime(ref at))
        {
            AddActivity(run, _rng.Chance(0.6) ? StaffOrAdmin() : plan.Requester, ActivityTypes.Updated, at,
                new { title = run.PipelineTitle }, new { title = shave.Title });
        }

        if (filedLater && NextActivityTime(ref at))
        {
            AddActivity(run, StaffOrAdmin(), ActivityTypes.Updated, at,
                new { project_id = (Guid?)null, project_name = (string?)null },
                new { project_id = shave.ProjectId, project_name = plan.Project!.Entity.Name });
        }

        if (plan.Status == ShaveStatus.Cancelled)
        {
            var canceller = plan.CancelledByStaff ? Staff : plan.Requester;
            var started = plan.Current >= 0;
            var cancelledAt = started ? lastReport : plan.CreatedAt.AddSeconds(_rng.Next(60, 40 * 60));
            AddActivity(run, canceller, ActivityTypes.StatusChanged, cancelledAt,
                new { shave_status = started ? nameof(ShaveStatus.Processing) : nameof(ShaveStatus.Pending) },
                new { shave_status = nameof(ShaveStatus.Cancelled) });
            at = cancelledAt > at ? cancelledAt : at;
        }

        if (at > (shave.UpdatedAt ?? DateTime.MinValue))
        {
            shave.UpdatedAt = at;
        }
    }

    /// <summary>People tidy up minutes to days after a run, but never in the future.</summary>
    private bool NextActivityTime(ref DateTime at)
    {
        var latest = now.AddMinutes(-1);
        var next = at.AddSeconds(_rng.Next(3 * 60, 48 * 60 * 60));
        if (next > latest)
        {
            next = at.AddMilliseconds(Math.Floor((latest - at).TotalMilliseconds / 2));
        }

        if (next <= at)
        {
            return false;
        }

        at = next;
        return true;
    }

    private Person StaffOrAdmin() => _rng.Chance(0.75) ? Staff : Admin;

    private void AddActivity(Run run, Person user, string type, DateTime at, object? before, object after) =>
        _data.UserActivities.Add(new UserActivity
        {
            Id = _rng.UuidV7(at),
            ShaveId = run.Shave.Id,
            UserId = user.Id,
            ActivityType = type,
            TargetTable = ShaveAudit.ShavesTable,
            TargetId = run.Shave.Id,
            DetailsJson = JsonSerializer.Serialize(new { before, after }, Compact),
            CreatedAt = at,
        });

    private void Place(CallTimeline timeline, DateTime start, double spanMs)
    {
        timeline.Place(start, spanMs, _rng);
        _data.AiLogs.AddRange(timeline.AiLogs);
        _data.ToolCalls.AddRange(timeline.ToolCalls);
    }

    /// <summary>Saved once added to a <see cref="CallTimeline"/>, which stamps its times and id.</summary>
    private static AiLog NewAiLog(Run run, ProcessStep? step, string model, string prompt, string? response)
    {
        var log = new AiLog
        {
            ShaveId = run.Shave.Id,
            ProcessStepId = step?.Id,
            ModelName = model,
            PromptText = prompt,
            ResponseText = response,
        };
        return log;
    }

    /// <summary>Saved once added to a <see cref="CallTimeline"/>, which stamps its times, id and issuing model call.</summary>
    private ToolCall NewToolCall(Run run, ProcessStep step, string service, string tool, object args)
    {
        var call = new ToolCall
        {
            ShaveId = run.Shave.Id,
            ProcessStepId = step.Id,
            ToolCallId = "call_" + _rng.Token(24),
            ToolName = tool,
            ServiceName = service,
            ArgsJson = JsonSerializer.Serialize(args, Compact),
        };
        return call;
    }

    private static void Finish(ToolCall call, bool success, object result)
    {
        call.Success = success;
        call.ResultJson = JsonSerializer.Serialize(result, Compact);
    }

    /// <summary>A model reply that asks for a tool call, in the shape chat APIs return it.</summary>
    private static string ToolCallReply(string text, ToolCall call) => ToolCallsReply(text, [call]);

    private static string ToolCallsReply(string text, IReadOnlyList<ToolCall> calls) =>
        text + "\n\n[tool_calls]\n" + JsonSerializer.Serialize(
            calls.Select(call => new { id = call.ToolCallId, type = "function", function = new { name = call.ToolName, arguments = call.ArgsJson } }),
            Indented);

    private static string Turn(string role, string content) => $"[{role}]\n{content.TrimEnd()}\n\n";

    private static string ToolTurn(ToolCall call) => Turn($"tool {call.ToolName} {call.ToolCallId}", call.ResultJson!);

    private double SpanMs(ProcessStep step) => ((step.CompletedAt ?? now) - step.StartedAt).TotalMilliseconds;

    private static string Clock(int seconds) => $"{seconds / 60}:{seconds % 60:00}";

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string Sentence(string clause) => Capitalized(clause) + ".";

    private sealed record SpokenReport(string Text, string Cleaned, Impact Impact, IReadOnlyList<string> Mentions);

    /// <summary>One shave being written out, and what its steps have produced so far.</summary>
    private sealed class Run
    {
        public required ShavePlan Plan { get; init; }
        public required Shave Shave { get; init; }
        public required Backlog Backlog { get; init; }
        public required string MainModel { get; init; }
        public required string SmallModel { get; init; }

        /// <summary>The title the pipeline wrote; differs from the shave's when someone fixed it afterwards.</summary>
        public required string PipelineTitle { get; init; }

        public string? YouTubeId { get; set; }
        public SpokenReport? Report { get; set; }
        public string? AnalysisJson { get; set; }
        public string? WorkItemUrl { get; set; }

        public string WatchUrl => $"https://www.youtube.com/watch?v={YouTubeId}";
    }
}
