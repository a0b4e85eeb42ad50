using Bunit;
using MudBlazor.Services;
using ShaveTracker.Web.Features.Shaves.Trace;

namespace ShaveTracker.Tests.Shaves.Trace;

/// <summary>A prompt or a response in the trace's panel, in each form a pipeline reports it, and in forms meant to hurt.</summary>
public sealed class TraceConversationTests : IDisposable
{
    private readonly BunitContext _ctx = new();

    public TraceConversationTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
    }

    public void Dispose() => _ctx.Dispose();

    private IRenderedComponent<TracePayloadView> Render(string text, Func<string, Guid?>? findToolCall = null, Action<Guid>? onOpen = null,
        bool asJson = false, string testId = "prompt") =>
        _ctx.Render<TracePayloadView>(p => p
            .Add(x => x.Title, "Prompt")
            .Add(x => x.TestId, testId)
            .Add(x => x.AsJson, asJson)
            .Add(x => x.FindToolCall, findToolCall)
            .Add(x => x.OnOpen, (Guid id) => onOpen?.Invoke(id))
            .Add(x => x.Payload, new TracePayload(text, text.Length, IsCut: false)));

    private static string[] Roles(IRenderedComponent<TracePayloadView> cut) =>
        [.. cut.FindAll("[data-testid=chat-message]").Select(m => m.GetAttribute("data-role")!)];

    [Fact]
    public void Openai_messages_show_each_role_and_a_tool_call_that_opens_its_record_in_the_trace()
    {
        var record = Guid.NewGuid();
        Guid? opened = null;
        var cut = Render("""
            [
              {"role": "system", "content": "You analyse [bug reports](https://example.com/guide)."},
              {"role": "user", "content": [{"type": "text", "text": "Printer prints **blank** pages."}]},
              {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "search_issues", "arguments": "{\"query\":\"printer\"}"}}]},
              {"role": "tool", "tool_call_id": "call_1", "content": "{\"total_count\":0}"}
            ]
            """, id => id == "call_1" ? record : null, id => opened = id);

        Assert.Equal(["system", "user", "assistant", "tool"], Roles(cut));
        Assert.Equal(["System", "User", "Assistant", "Tool"], cut.FindAll("[data-testid=chat-role]").Select(r => r.TextContent));
        Assert.Equal("blank", cut.Find("[data-testid=chat-message][data-role=user] strong").TextContent);
        Assert.Equal("https://example.com/guide", cut.Find("[data-testid=chat-message][data-role=system] a").GetAttribute("href"));
        var call = cut.Find("[data-testid=chat-tool-call]");
        Assert.Equal("call_1", call.GetAttribute("data-call-id"));
        Assert.Contains("search_issues", call.TextContent, StringComparison.Ordinal);
        Assert.Contains("\"query\": \"printer\"", call.QuerySelector("[data-testid=chat-json]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("\"total_count\": 0", cut.Find("[data-testid=chat-tool-result] [data-testid=chat-json]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Conversation", cut.Find("[data-testid=payload-prompt-mode]").TextContent, StringComparison.Ordinal);

        cut.Find("[data-testid=chat-tool-call-open]").Click();
        Assert.Equal(record, opened);
    }

    [Fact]
    public void A_tool_call_the_trace_does_not_have_offers_no_link()
    {
        var cut = Render("""{"choices": [{"finish_reason": "tool_calls", "message": {"role": "assistant", "content": "Checking.", "tool_calls": [{"id": "call_x", "type": "function", "function": {"name": "get_issue", "arguments": "{}"}}]}}]}""",
            _ => null);

        Assert.Equal(["assistant"], Roles(cut));
        Assert.Contains("finish reason: tool_calls", cut.Find("[data-testid=chat-message]").TextContent, StringComparison.Ordinal);
        Assert.Single(cut.FindAll("[data-testid=chat-tool-call]"));
        Assert.Empty(cut.FindAll("[data-testid=chat-tool-call-open]"));
    }

    [Fact]
    public void Opentelemetry_genai_parts_show_text_tool_calls_and_tool_call_responses()
    {
        var cut = Render("""
            [
              {"role": "system", "parts": [{"type": "text", "content": "You analyse bug reports."}]},
              {"role": "user", "parts": [{"type": "text", "content": "Printer prints blank pages."}]},
              {"role": "assistant", "parts": [{"type": "tool_call", "id": "call_1", "name": "search_issues", "arguments": {"query": "printer"}}]},
              {"role": "tool", "parts": [{"type": "tool_call_response", "id": "call_1", "response": {"total_count": 0}}]}
            ]
            """);

        Assert.Equal(["system", "user", "assistant", "tool"], Roles(cut));
        Assert.Contains("\"query\": \"printer\"", cut.Find("[data-testid=chat-tool-call]").TextContent, StringComparison.Ordinal);
        Assert.Equal("call_1", cut.Find("[data-testid=chat-tool-result]").GetAttribute("data-call-id"));
    }

    [Fact]
    public void The_pipelines_headed_text_shows_its_turns()
    {
        var cut = Render("[system]\nYou analyse bug reports.\n\n[user]\nPrinter prints blank pages.\n\n[tool search_issues call_7]\n{\"total_count\":0}\n");

        Assert.Equal(["system", "user", "tool"], Roles(cut));
        Assert.Contains("search_issues", cut.Find("[data-testid=chat-tool-result]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("[system]", cut.Find("[data-testid=payload-prompt-conversation]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_that_is_not_chat_is_a_tree_never_markdown()
    {
        var cut = Render("{\"title\":\"**Legacy** import\",\"tags\":[\"a\",\"b\"]}", testId: "response");

        Assert.Empty(cut.FindAll("[data-testid=payload-response-markdown]"));
        Assert.Empty(cut.FindAll("strong"));
        Assert.Contains("\"**Legacy** import\"", cut.Find("[data-testid=payload-response-tree]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_text_stays_markdown_with_its_links_as_links()
    {
        var cut = Render("Done. See [the issue](https://github.com/contoso/web/issues/1).", testId: "response");

        var link = cut.Find("[data-testid=payload-response-markdown] a");
        Assert.Equal("https://github.com/contoso/web/issues/1", link.GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=chat-message]"));
    }

    [Fact]
    public void Scripts_in_every_part_of_a_conversation_stay_text()
    {
        const string attack = "<script>alert('x')</script><img src=x onerror=alert(1)>";
        var cut = Render($$$"""
            [
              {"role": "<script>alert('role')</script>", "name": "{{{attack}}}", "content": "{{{attack}}} [open](javascript:alert(1))"},
              {"role": "assistant", "content": null, "tool_calls": [{"id": "<b>id</b>", "type": "function", "function": {"name": "<script>x</script>", "arguments": "{{{attack}}}"}}]},
              {"role": "tool", "tool_call_id": "c", "content": "{{{attack}}}"},
              {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "javascript:alert(1)"}}]}
            ]
            """);

        var conversation = cut.Find("[data-testid=payload-prompt-conversation]");
        Assert.Empty(conversation.QuerySelectorAll("script, img, b, [onerror]"));
        Assert.Empty(conversation.QuerySelectorAll("a"));
        Assert.Contains("<script>alert('x')</script>", conversation.TextContent, StringComparison.Ordinal);
        Assert.Equal("<script>alert('role')</script>", cut.Find("[data-testid=chat-role]").TextContent);
    }

    [Fact]
    public void A_megabyte_on_one_line_renders_as_text()
    {
        var line = new string('x', 1024 * 1024);

        var text = Render(line, testId: "response");
        var chat = Render("[{\"role\":\"user\",\"content\":\"" + line + "\"}]");

        Assert.Equal(line, text.Find("[data-testid=payload-response-markdown]").TextContent.Trim());
        Assert.Equal(line, chat.Find("[data-testid=chat-text]").TextContent.Trim());
    }

    [Fact]
    public void Json_nested_ten_thousand_deep_is_shown_as_text_without_overflowing_the_stack()
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);
        var deepArgs = "[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"function\":{\"name\":\"x\",\"arguments\":\"" + new string('{', 10_000) + "\"}}]}]";

        var prompt = Render(deep);
        var result = Render(deep, asJson: true, testId: "result");
        var args = Render(deepArgs);

        Assert.Equal(deep, prompt.Find("[data-testid=payload-prompt-text]").TextContent);
        Assert.Contains("nested too deeply", prompt.Markup, StringComparison.Ordinal);
        Assert.Empty(prompt.FindAll("[data-testid=payload-prompt-markdown]"));
        Assert.Equal(deep, result.Find("[data-testid=payload-result-text]").TextContent);
        Assert.Equal(new string('{', 10_000), args.Find("[data-testid=chat-tool-call] [data-testid=chat-json]").TextContent);
    }

    [Fact]
    public void A_secret_spelled_with_escapes_is_masked_in_the_conversation_and_the_tree()
    {
        const string key = "sk-proj-abcdefghijklmnop1234567890";
        var chat = Render("""[{"role": "user", "content": "key: \u0073k-proj-abcdefghijklmnop1234567890"}]""");
        var tree = Render("""{"note": "key: \u0073k-proj-abcdefghijklmnop1234567890"}""", asJson: true, testId: "result");

        Assert.DoesNotContain(key, chat.Find("[data-testid=payload-prompt-conversation]").TextContent, StringComparison.Ordinal);
        Assert.Contains("sk-***", chat.Find("[data-testid=chat-text]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(key, tree.Find("[data-testid=payload-result-tree]").TextContent, StringComparison.Ordinal);
    }
}
