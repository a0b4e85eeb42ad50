using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Features.DemoData;
using ShaveTracker.Web.Features.Shaves.Trace;

namespace ShaveTracker.Tests.DemoData;

public sealed class DemoLongShaveTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 22, 30, 0, DateTimeKind.Utc);

    [Fact]
    public void The_demo_has_a_30000_record_failed_import_whose_97th_batch_fails_and_leaves_the_rest_of_the_demo_as_it_was()
    {
        var with = new DemoDataGenerator(Now, "Demo-Password-1").Generate();
        var without = new DemoDataGenerator(Now, "Demo-Password-1", longTrace: false).Generate();

        var shave = Assert.Single(with.Shaves, s => s.Title == DemoDataGenerator.LongFailedTitle);
        Assert.Equal(ShaveStatus.Failed, shave.ShaveStatus);
        Assert.Equal(DemoDataGenerator.LongAiLogs, with.AiLogs.Count(l => l.ShaveId == shave.Id));
        Assert.Equal(DemoDataGenerator.LongToolCalls, with.ToolCalls.Count(c => c.ShaveId == shave.Id));
        var steps = with.ProcessSteps.Where(p => p.ShaveId == shave.Id).ToList();
        Assert.Equal(108, steps.Count);
        var failed = Assert.Single(steps, p => p.ProcessStatus == ProcessStatus.Failed);
        Assert.Equal("executing_task:batch-97", failed.StepName);
        Assert.Equal(4, steps.Count(p => p.ProcessStatus == ProcessStatus.NotStarted));
        // Its calls answer to the model calls that asked for them, and some of them failed.
        var responses = with.AiLogs.Where(l => l.ShaveId == shave.Id).ToDictionary(l => l.Id, l => l.ResponseText);
        Assert.All(with.ToolCalls.Where(c => c.ShaveId == shave.Id && c.AiLogId is not null),
            c => Assert.Contains(c.ToolCallId, responses[c.AiLogId!.Value], StringComparison.Ordinal));
        Assert.Contains(with.ToolCalls, c => c.ShaveId == shave.Id && !c.Success);
        // The call that failed the import has a body just over GitHub's limit, small enough for the trace to show whole,
        // and the model call that issued it says why; that word is in no other payload of the demo.
        var failing = Assert.Single(with.ToolCalls, c => c.ProcessStepId == failed.Id && c.ToolName == "create_issue" && !c.Success);
        Assert.InRange(failing.ArgsJson!.Length, 65_537, TraceService.PreviewChars);
        Assert.Contains(DemoDataGenerator.FailingReplyWord, responses[failing.AiLogId!.Value], StringComparison.Ordinal);
        Assert.Equal(2, with.AiLogs.Count(l => l.ResponseText?.Contains(DemoDataGenerator.FailingReplyWord, StringComparison.OrdinalIgnoreCase) == true));
        Assert.DoesNotContain(with.AiLogs, l => l.PromptText?.Contains(DemoDataGenerator.FailingReplyWord, StringComparison.OrdinalIgnoreCase) == true);
        Assert.DoesNotContain(with.ToolCalls, c => c.ArgsJson?.Contains(DemoDataGenerator.FailingReplyWord, StringComparison.OrdinalIgnoreCase) == true
            || c.ResultJson?.Contains(DemoDataGenerator.FailingReplyWord, StringComparison.OrdinalIgnoreCase) == true);

        Assert.DoesNotContain(without.Shaves, s => s.Title == DemoDataGenerator.LongFailedTitle);
        Assert.Equal(without.Shaves.Select(s => (s.Id, s.Title)), with.Shaves.Where(s => s.Id != shave.Id).Select(s => (s.Id, s.Title)));
        Assert.Equal(without.AiLogs.Count, with.AiLogs.Count - DemoDataGenerator.LongAiLogs);
    }
}
