using System.Globalization;
using System.Text;
using System.Text.Json;
using ShaveTracker.Data.Entities;

namespace ShaveTracker.Web.Features.DemoData;

// Heavy shaves for the admin trace: a failed bulk import (50 steps, 2,000 model calls, 3,000 tool calls, a few
// payloads of 1–2 MB), a smaller one still running, and a long failed import (108 steps, 10,000 model calls, 20,000
// tool calls; left out when the options say so). They use their own random source, so the rest of the demo
// comes out exactly as before. Some payloads carry credentials a real run picks up (a .env file a tool read, a
// header echoed in an error, a connection string pasted in an export), so that masking can be seen at work. Both
// failed imports end on the same mistake, which the model's last reply explains: it files the archive's omnibus
// ticket with the whole export as its body, 1.3 MB in the heavy shave and just over GitHub's limit in the long one
// (small enough for the trace to show its arguments as a tree).
internal sealed partial class DemoDataGenerator
{
    public const string HeavyFailedTitle = "Import 40 batches of legacy Zendesk bugs into Storefront Web";
    public const string HeavyRunningTitle = "Import the Mobile App crash backlog from the old tracker";
    public const string LongFailedTitle = "Import 100 batches of the Zendesk archive into Storefront Web";

    /// <summary>The long shave: 10,000 model calls and 20,000 tool calls over 100 import batches, the 97th failing.</summary>
    public const int LongAiLogs = 10_000;
    public const int LongToolCalls = 20_000;

    /// <summary>A word of the reply of each failed import's last model call, and of nothing else in the demo.</summary>
    public const string FailingReplyWord = "omnibus";

    private const int LongSeed = 20261207;
    private const int LongBatches = 100;

    private const int HeavySeed = 20261125;
    private const int HeavyAiLogs = 2_000;
    private const int HeavyToolCalls = 3_000;
    private const int HeavyBatches = 42;

    private sealed class HeavyRun(DemoRandom random, Shave shave, Backlog backlog, string model)
    {
        public DemoRandom Rng => random;
        public Shave Shave => shave;
        public Backlog Backlog => backlog;
        public string Model => model;
        public int NextItem { get; set; } = 2_000;

        /// <summary>How long the body of the issue that fails the import is (GitHub takes at most 65,536 characters).</summary>
        public int FailingBodyChars { get; init; }
    }

    private void AddHeavyShaves()
    {
        var random = new DemoRandom(HeavySeed);
        var storefront = _projects[0];
        var mobile = _projects[1];
        AddHeavyFailedShave(random, _people[2], storefront, now.Date.AddDays(-2).AddHours(9).AddMinutes(12),
            HeavyFailedTitle, HeavyAiLogs, HeavyToolCalls, HeavyBatches, failedBatch: 41, failingBodyChars: 1_300_000);
        AddHeavyRunningShave(random, mobile, now.AddMinutes(-45));
        if (longTrace)
        {
            // A random source of its own: with or without it, the rest of the demo comes out the same.
            AddHeavyFailedShave(new DemoRandom(LongSeed), _people[2], storefront, now.Date.AddDays(-1).AddHours(7).AddMinutes(3),
                LongFailedTitle, LongAiLogs, LongToolCalls, LongBatches, failedBatch: 97, failingBodyChars: 70_000);
        }
    }

    /// <summary>
    /// The usual first seven steps, the import batches (<paramref name="failedBatch"/> fails, the ones after it never
    /// start), updating_metadata: 50 steps for the heavy shave.
    /// </summary>
    private void AddHeavyFailedShave(DemoRandom random, Person requester, DemoProject project, DateTime createdAt,
        string title, int aiLogs, int toolCalls, int batches, int failedBatch, int failingBodyChars)
    {
        var run = new HeavyRun(random, NewHeavyShave(random, requester, project, title, ShaveStatus.Failed, createdAt), project.Backlog, "gpt-4.1")
        {
            FailingBodyChars = failingBodyChars,
        };
        var cursor = createdAt;
        var logsLeft = aiLogs;
        var callsLeft = toolCalls;

        // Pipeline-made calls and side requests that belong to no step.
        const int unattachedLogs = 12;
        const int unattachedCalls = 15;

        var upload = HeavyStep(run, Steps.UploadingVideo, ProcessStatus.Completed, ref cursor, random.Next(40_000, 90_000));
        HeavyToolCall(run, upload, null, "youtube", "upload_video", upload.StartedAt.AddMilliseconds(500), random.Next(30_000, 80_000), true,
            new { title, privacyStatus = "unlisted", file = "2026-11-22 09-01-10.mp4" },
            new { id = random.YouTubeId(), status = "uploaded" });
        callsLeft--;
        HeavyStep(run, Steps.DownloadingVideo, ProcessStatus.Skipped, ref cursor, 0);
        HeavyStep(run, Steps.ConvertingAudio, ProcessStatus.Completed, ref cursor, random.Next(4_000, 12_000));
        var transcribing = HeavyStep(run, Steps.Transcribing, ProcessStatus.Completed, ref cursor, random.Next(20_000, 60_000));
        _data.Transcripts.Add(new Transcript
        {
            Id = random.UuidV7(transcribing.CompletedAt!.Value),
            ShaveId = run.Shave.Id,
            Text = "Hi, it's Alice. So we're finally retiring the old Zendesk instance, and there are about two thousand open bugs in the " +
                   "export that still matter for the storefront. I've attached the export. Could you go through it in batches, check " +
                   "each one against what's already in the Storefront Web repo, and only create issues for the ones that aren't there " +
                   "yet? Label them legacy-import so we can find them later. Thanks!",
            CreatedAt = transcribing.CompletedAt.Value,
        });
        foreach (var (name, calls) in new[] { (Steps.OptimizingTranscript, 1), (Steps.AnalyzingTranscript, 2), (Steps.SelectingPrompt, 1) })
        {
            var step = HeavyStep(run, name, ProcessStatus.Completed, ref cursor, 0);
            var at = step.StartedAt;
            for (var i = 0; i < calls; i++)
            {
                var log = HeavyAiLog(run, step, run.Model, at, random.Next(1_500, 9_000),
                    HeavyPrompt(run, $"Step {name}, part {i + 1}: prepare the import of the legacy export."),
                    $"Done: {name} part {i + 1}. The export has 41 batches of about 48 tickets each.");
                at = log.CreatedAt.AddMilliseconds(log.DurationMs!.Value + random.Next(50, 400));
            }

            Finish(step, at, ref cursor);
            logsLeft -= calls;
        }

        logsLeft -= unattachedLogs;
        callsLeft -= unattachedCalls;
        var ranBatches = failedBatch;
        for (var b = 1; b <= batches; b++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{Steps.ExecutingTask}:batch-{b:00}");
            if (b > ranBatches)
            {
                HeavyStep(run, name, ProcessStatus.NotStarted, ref cursor, 0);
                continue;
            }

            var step = HeavyStep(run, name, ProcessStatus.Completed, ref cursor, 0);
            var logs = (logsLeft / (ranBatches - b + 1));
            var calls = (callsLeft / (ranBatches - b + 1));
            logsLeft -= logs;
            callsLeft -= calls;
            var end = HeavyBatch(run, step, b, logs, calls, fail: b == failedBatch);
            Finish(step, end, ref cursor);
            if (b == failedBatch)
            {
                step.ProcessStatus = ProcessStatus.Failed;
                step.ErrorMessage = "MCP tool create_issue returned 422: Validation Failed (body is too long: maximum is 65536 characters)";
            }
        }

        HeavyStep(run, Steps.UpdatingMetadata, ProcessStatus.NotStarted, ref cursor, 0);

        // Title suggestions and pipeline health checks that the client logged without a step.
        var side = createdAt.AddSeconds(30);
        for (var i = 0; i < unattachedLogs; i++)
        {
            side = side.AddMinutes(random.Next(3, 10));
            HeavyAiLog(run, null, "gpt-4.1-mini", side, random.Next(600, 2_500),
                "[system]\nSuggest a short title for this import run.\n\n[user]\n" + title,
                i == 5 ? "Not JSON, just a plain sentence: Legacy Zendesk import (batch run)." : "{\"title\":\"Legacy Zendesk import\"}");
        }

        side = createdAt.AddSeconds(45);
        for (var i = 0; i < unattachedCalls; i++)
        {
            side = side.AddMinutes(random.Next(2, 9));
            HeavyToolCall(run, null, null, "github", "get_rate_limit", side, random.Next(80, 400), true,
                new { resource = "core" }, new { limit = 5000, remaining = 5000 - (i * 310), reset = 1764000000 + (i * 60) });
        }

        AskForIssuedCalls(run);
        run.Shave.UpdatedAt = cursor;
    }

    /// <summary>A still-running import: 12 steps, the last in progress and drawn to "now".</summary>
    private void AddHeavyRunningShave(DemoRandom random, DemoProject project, DateTime createdAt)
    {
        var run = new HeavyRun(random, NewHeavyShave(random, _people[3], project, HeavyRunningTitle, ShaveStatus.Processing, createdAt), project.Backlog, "claude-sonnet-4");
        var cursor = createdAt;
        HeavyStep(run, Steps.UploadingVideo, ProcessStatus.Skipped, ref cursor, 0);
        HeavyStep(run, Steps.DownloadingVideo, ProcessStatus.Completed, ref cursor, random.Next(5_000, 15_000));
        HeavyStep(run, Steps.ConvertingAudio, ProcessStatus.Completed, ref cursor, random.Next(3_000, 9_000));
        HeavyStep(run, Steps.Transcribing, ProcessStatus.Completed, ref cursor, random.Next(10_000, 30_000));
        for (var b = 1; b <= 8; b++)
        {
            var step = HeavyStep(run, string.Create(CultureInfo.InvariantCulture, $"{Steps.ExecutingTask}:batch-{b:00}"), ProcessStatus.Completed, ref cursor, 0);
            var running = b == 8;
            var end = HeavyBatch(run, step, b, running ? 12 : 40, running ? 18 : 60, fail: false, until: running ? now.AddSeconds(-5) : null);
            if (running)
            {
                step.ProcessStatus = ProcessStatus.InProgress;
                step.CompletedAt = null;
                break;
            }

            Finish(step, end, ref cursor);
        }

        AskForIssuedCalls(run);
        run.Shave.UpdatedAt = now.AddSeconds(-5);
    }

    /// <summary>Each model call's reply asks for the tool calls it issued, after its text, as chat APIs return them.</summary>
    private void AskForIssuedCalls(HeavyRun run)
    {
        var logs = _data.AiLogs.Where(l => l.ShaveId == run.Shave.Id).ToDictionary(l => l.Id);
        foreach (var issued in _data.ToolCalls.Where(c => c.ShaveId == run.Shave.Id && c.AiLogId is not null).GroupBy(c => c.AiLogId!.Value))
        {
            var log = logs[issued.Key];
            log.ResponseText = ToolCallsReply(log.ResponseText ?? "", [.. issued]);
        }
    }

    private Shave NewHeavyShave(DemoRandom random, Person requester, DemoProject project, string title, ShaveStatus status, DateTime createdAt)
    {
        var recordedAt = createdAt.AddSeconds(-random.Next(30, 300));
        var fileName = recordedAt.AddSeconds(-95).ToString("yyyy-MM-dd HH-mm-ss", CultureInfo.InvariantCulture) + ".mp4";
        var video = new VideoFile
        {
            Id = random.UuidV7(recordedAt),
            FileName = fileName,
            FilePath = InFolder(requester.VideoFolder, fileName),
            FileHash = random.Hex(32),
            Duration = 95,
            CreatedAt = recordedAt,
        };
        _data.VideoFiles.Add(video);
        var shave = new Shave
        {
            Id = random.UuidV7(createdAt),
            Title = title,
            VideoFileId = video.Id,
            RequesterId = requester.Id,
            ProjectId = project.Entity.Id,
            ShaveStatus = status,
            WorkItemSource = project.Backlog.WorkItemSource,
            VideoEmbedUrl = $"https://www.youtube.com/embed/{random.YouTubeId()}",
            CreatedAt = createdAt,
        };
        _data.Shaves.Add(shave);
        return shave;
    }

    /// <summary>
    /// One import batch: model calls that each issue one or more backlog tool calls, in time order from the step's
    /// start. A few calls time out and are retried. Returns when the last call ended.
    /// </summary>
    private DateTime HeavyBatch(HeavyRun run, ProcessStep step, int batch, int logs, int calls, bool fail, DateTime? until = null)
    {
        var random = run.Rng;
        var perLog = new int[logs];
        Array.Fill(perLog, 1);
        for (var extra = calls - logs; extra > 0; extra--)
        {
            perLog[random.Next(0, logs)]++;
        }

        var at = step.StartedAt.AddMilliseconds(random.Next(100, 800));
        var spacing = until is { } u ? Math.Max(200, (u - at).TotalMilliseconds / Math.Max(1, calls + logs)) : (double?)null;
        for (var i = 0; i < logs; i++)
        {
            var ticket = (batch * 100) + i;
            var big = (batch, i) switch
            {
                (1, 0) => HeavyExport(random, 1_600_000),
                _ => null,
            };
            var prompt = big is null
                ? HeavyPrompt(run, $"Batch {batch}, ticket ZD-{ticket}: {random.Pick(DemoTopics.Storefront).Title}.")
                : HeavyPrompt(run, "Here is the full legacy export. Work through it in batches of about 48 tickets.\n\n" + big);
            var response = (batch, i) switch
            {
                (30, 3) => HeavyTable(random, 1_050_000),
                _ when fail && i == logs - 1 => $"Ticket ZD-{ticket} is the archive's {FailingReplyWord} ticket: every other ticket " +
                                                "links to it. I'll file it with the whole export as its body, so that nothing is lost.",
                _ => $"Ticket ZD-{ticket}: I'll check {run.Backlog.Organization}/{run.Backlog.Name} for an existing issue first.",
            };
            var log = HeavyAiLog(run, step, run.Model, at, spacing is { } sp ? (int)Math.Min(sp, 4_000) : random.Next(900, 6_000), prompt, response);
            at = log.CreatedAt.AddMilliseconds(log.DurationMs!.Value + random.Next(30, 200));

            for (var c = 0; c < perLog[i]; c++)
            {
                var last = fail && i == logs - 1 && c == perLog[i] - 1;
                var duration = spacing is { } s ? (int)Math.Min(s, 2_500) : random.Next(150, 2_500);
                ToolCall call;
                if (last)
                {
                    call = HeavyToolCall(run, step, log, run.Backlog.ServiceName, run.Backlog.CreateTool, at, duration, false,
                        HeavyCreateArgs(run, ticket, HeavyExport(random, run.FailingBodyChars)),
                        new
                        {
                            error = new
                            {
                                status = 422,
                                message = "Validation Failed",
                                errors = new[] { new { resource = "Issue", field = "body", code = "custom", message = "body is too long (maximum is 65536 characters)" } },
                                documentation_url = "https://docs.github.com/rest/issues/issues#create-an-issue",
                            },
                        });
                }
                else if (c == 0 && perLog[i] >= 2 && random.Chance(0.03))
                {
                    // Timed out, then retried under a new call id: two of this model call's calls.
                    c++;
                    HeavyToolCall(run, step, log, run.Backlog.ServiceName, run.Backlog.SearchTool, at, 30_000, false,
                        new { query = $"repo:{run.Backlog.Organization}/{run.Backlog.Name} ZD-{ticket}" },
                        new { error = new { code = -32001, message = "Request timed out" } });
                    at = at.AddMilliseconds(30_000 + random.Next(50, 300));
                    call = HeavyToolCall(run, step, log, run.Backlog.ServiceName, run.Backlog.SearchTool, at, duration, true,
                        new { query = $"repo:{run.Backlog.Organization}/{run.Backlog.Name} ZD-{ticket}" }, new { total_count = 0, items = Array.Empty<object>() });
                }
                else
                {
                    call = c switch
                    {
                        0 when batch == 12 && i == 7 => HeavyToolCall(run, step, log, "github", "get_file_contents", at, duration, true,
                            new { owner = run.Backlog.Organization, repo = run.Backlog.Name, path = "deploy/legacy-import.env" },
                            new { path = "deploy/legacy-import.env", encoding = "utf-8", content = HeavyEnvFile(random, 1_200_000) }),
                        0 when batch == 20 && i == 2 => HeavyToolCall(run, step, log, run.Backlog.ServiceName, run.Backlog.SearchTool, at, duration, true,
                            new { query = $"repo:{run.Backlog.Organization}/{run.Backlog.Name} is:issue label:legacy-import", perPage = 100 },
                            HeavySearchResult(run, random, 4_000)),
                        0 when batch == 3 && i == 1 => HeavyToolCall(run, step, log, "github", "get_issue", at, duration, false,
                            new { owner = run.Backlog.Organization, repo = run.Backlog.Name, issue_number = 77 },
                            new
                            {
                                error = new { status = 401, message = "Bad credentials" },
                                request = new
                                {
                                    url = $"https://api.github.com/repos/{run.Backlog.Organization}/{run.Backlog.Name}/issues/77",
                                    headers = new Dictionary<string, string>
                                    {
                                        ["Authorization"] = "Bearer ghp_" + random.Token(36),
                                        ["X-Azure-DevOps-PAT"] = "pat " + Base32(random, 52),
                                    },
                                },
                            }),
                        0 => HeavyToolCall(run, step, log, run.Backlog.ServiceName, run.Backlog.SearchTool, at, duration, true,
                            new { query = $"repo:{run.Backlog.Organization}/{run.Backlog.Name} ZD-{ticket}", perPage = 5 },
                            HeavySearchResult(run, random, random.Next(0, 4))),
                        _ => HeavyToolCall(run, step, log, run.Backlog.ServiceName, run.Backlog.CreateTool, at, duration, true,
                            HeavyCreateArgs(run, ticket, $"Imported from Zendesk ticket ZD-{ticket}.\n\n## Pain\n{random.Pick(DemoTopics.Storefront).Problem}."),
                            new { number = ++run.NextItem, state = "open", html_url = run.Backlog.ItemUrl(run.NextItem) }),
                    };
                }

                at = call.CreatedAt.AddMilliseconds(call.DurationMs!.Value + random.Next(20, 150));
            }
        }

        return at;
    }

    private ProcessStep HeavyStep(HeavyRun run, string name, ProcessStatus status, ref DateTime cursor, int durationMs)
    {
        var start = cursor.AddMilliseconds(run.Rng.Next(20, 400));
        var step = new ProcessStep
        {
            Id = run.Rng.UuidV7(start),
            ShaveId = run.Shave.Id,
            StepName = name,
            ProcessStatus = status,
            StartedAt = start,
            CompletedAt = status is ProcessStatus.Completed or ProcessStatus.Skipped or ProcessStatus.Failed ? start.AddMilliseconds(durationMs) : null,
        };
        cursor = step.CompletedAt ?? start;
        _data.ProcessSteps.Add(step);
        return step;
    }

    private static void Finish(ProcessStep step, DateTime end, ref DateTime cursor)
    {
        step.CompletedAt = end;
        cursor = end;
    }

    private AiLog HeavyAiLog(HeavyRun run, ProcessStep? step, string model, DateTime at, int durationMs, string prompt, string? response)
    {
        var log = new AiLog
        {
            Id = run.Rng.UuidV7(at),
            ShaveId = run.Shave.Id,
            ProcessStepId = step?.Id,
            ModelName = model,
            PromptText = prompt,
            ResponseText = response,
            DurationMs = durationMs,
            CreatedAt = at,
        };
        _data.AiLogs.Add(log);
        return log;
    }

    private ToolCall HeavyToolCall(HeavyRun run, ProcessStep? step, AiLog? issuer, string service, string tool, DateTime at, int durationMs,
        bool success, object args, object result)
    {
        var call = new ToolCall
        {
            Id = run.Rng.UuidV7(at),
            ShaveId = run.Shave.Id,
            ProcessStepId = step?.Id,
            AiLogId = issuer?.Id,
            ToolCallId = "call_" + run.Rng.Token(24),
            ToolName = tool,
            ServiceName = service,
            ArgsJson = JsonSerializer.Serialize(args, Compact),
            ResultJson = JsonSerializer.Serialize(result, Compact),
            Success = success,
            DurationMs = durationMs,
            CreatedAt = at,
        };
        _data.ToolCalls.Add(call);
        return call;
    }

    /// <summary>A few KB, like the real executing_task prompts: the system prompt, the tools, the ticket at hand.</summary>
    private static string HeavyPrompt(HeavyRun run, string task) =>
        Turn("system", DemoTexts.ExecuteSystemPrompt) +
        Turn("user", $"Backlog: {run.Backlog.Url}\nLabel every new issue legacy-import.\n\n{task}");

    private static object HeavyCreateArgs(HeavyRun run, int ticket, string body) => new
    {
        owner = run.Backlog.Organization,
        repo = run.Backlog.Name,
        title = $"[ZD-{ticket}] Legacy storefront bug",
        body,
        labels = new[] { "bug", "legacy-import" },
    };

    private static object HeavySearchResult(HeavyRun run, DemoRandom random, int count) => new
    {
        total_count = count,
        incomplete_results = false,
        items = Enumerable.Range(0, count).Select(i => new
        {
            number = 100 + i,
            title = $"Legacy import: {DemoTopics.Storefront[i % DemoTopics.Storefront.Count].Title}",
            state = i % 3 == 0 ? "closed" : "open",
            html_url = run.Backlog.ItemUrl(100 + i),
            body = DemoTopics.Storefront[i % DemoTopics.Storefront.Count].Problem + " " + random.Token(120),
        }),
    };

    /// <summary>The legacy export pasted into a prompt: CSV rows, with the export tool's connection string at the top.</summary>
    private static string HeavyExport(DemoRandom random, int length)
    {
        var text = new StringBuilder(length + 512)
            .AppendLine("# exported by zd-export 2.3 from Server=zendesk-db.contoso.internal;Database=zendesk;User Id=export;Password=" + random.Token(16) + ";")
            .AppendLine("ticket_id,created,priority,subject,description");
        for (var i = 1; text.Length < length; i++)
        {
            var topic = DemoTopics.Storefront[i % DemoTopics.Storefront.Count];
            text.Append(CultureInfo.InvariantCulture, $"ZD-{10_000 + i},2024-{(i % 12) + 1:00}-{(i % 27) + 1:00},{(i % 4 == 0 ? "high" : "normal")},")
                .Append('"').Append(topic.Title).Append("\",\"").Append(topic.Problem).AppendLine("\"");
        }

        return text.ToString();
    }

    /// <summary>A model reply that answered with an enormous Markdown table instead of calling a tool.</summary>
    private static string HeavyTable(DemoRandom random, int length)
    {
        var text = new StringBuilder(length + 256)
            .AppendLine("Here is the status of every ticket so far:")
            .AppendLine()
            .AppendLine("| Ticket | Subject | Decision | Reference |")
            .AppendLine("|---|---|---|---|");
        for (var i = 1; text.Length < length; i++)
        {
            var topic = DemoTopics.Storefront[i % DemoTopics.Storefront.Count];
            text.Append(CultureInfo.InvariantCulture, $"| ZD-{10_000 + i} | {topic.Title} | {(i % 5 == 0 ? "**duplicate**" : "create")} | ")
                .AppendLine(CultureInfo.InvariantCulture, $"[#{1_000 + i}](https://github.com/contoso/storefront-web/issues/{1_000 + i}) |");
        }

        return text.Append("<script>alert('this must never run')</script>").Append(random.Token(4)).ToString();
    }

    /// <summary>A file a tool read whole: build settings, with the secrets a .env file holds.</summary>
    private static string HeavyEnvFile(DemoRandom random, int length)
    {
        var text = new StringBuilder(length + 1024)
            .AppendLine("# legacy import settings")
            .AppendLine("GITHUB_TOKEN=ghp_" + random.Token(36))
            .AppendLine("OPENAI_API_KEY=sk-proj-" + random.Token(48))
            .AppendLine("AWS_ACCESS_KEY_ID=AKIA" + random.Token(16).ToUpperInvariant())
            .AppendLine("ZENDESK_DB=Server=zendesk-db.contoso.internal;Database=zendesk;User Id=export;Password=" + random.Token(14) + ";")
            .AppendLine();
        for (var i = 1; text.Length < length; i++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"MAPPING_{i:00000}=zendesk:{10_000 + i}->github:storefront-web#{1_000 + i}");
        }

        return text.ToString();
    }

    private static string Base32(DemoRandom random, int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = alphabet[random.Next(0, alphabet.Length)];
        }

        return new string(chars);
    }
}
