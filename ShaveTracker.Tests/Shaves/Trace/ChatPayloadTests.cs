using ShaveTracker.Web.Features.Shaves.Trace;

namespace ShaveTracker.Tests.Shaves.Trace;

public sealed class ChatPayloadTests
{
    [Fact]
    public void Openai_messages_read_as_roles_with_tool_calls_and_tool_results()
    {
        const string prompt = """
            [
              {"role": "system", "content": "You analyse bug reports."},
              {"role": "user", "content": [{"type": "text", "text": "The **printer** prints blank pages."}, {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]},
              {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "search_issues", "arguments": "{\"query\":\"printer\"}"}}]},
              {"role": "tool", "tool_call_id": "call_1", "content": "{\"total_count\":0}"}
            ]
            """;

        var reading = ChatPayload.Read(prompt, isCut: false);

        Assert.Equal(PayloadShape.Chat, reading.Shape);
        Assert.Equal(["system", "user", "assistant", "tool"], reading.Messages.Select(m => m.Role));
        Assert.Equal(new ChatPart(ChatPartKind.Text, "You analyse bug reports."), Assert.Single(reading.Messages[0].Parts));
        Assert.Equal([ChatPartKind.Text, ChatPartKind.Data], reading.Messages[1].Parts.Select(p => p.Kind));
        Assert.Equal("image_url", reading.Messages[1].Parts[1].Label);
        var call = Assert.Single(reading.Messages[2].Parts);
        Assert.Equal((ChatPartKind.ToolCall, "search_issues", "call_1", true), (call.Kind, call.Label, call.CallId, call.IsJson));
        Assert.Equal("{\n  \"query\": \"printer\"\n}", call.Text.ReplaceLineEndings("\n"));
        var result = Assert.Single(reading.Messages[3].Parts);
        Assert.Equal((ChatPartKind.ToolResult, "call_1", true), (result.Kind, result.CallId, result.IsJson));
        Assert.Contains("\"total_count\": 0", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_with_messages_and_a_completion_with_choices_read_as_chat()
    {
        var request = ChatPayload.Read("""{"model": "gpt-4o", "system": "Be brief.", "messages": [{"role": "user", "content": "Hi"}]}""", isCut: false);
        var completion = ChatPayload.Read(
            """{"id": "x", "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant", "content": "Checking.", "tool_calls": [{"id": "call_9", "type": "function", "function": {"name": "get_issue", "arguments": "{}"}}]}}]}""",
            isCut: false);

        Assert.Equal(["system", "user"], request.Messages.Select(m => m.Role));
        var message = Assert.Single(completion.Messages);
        Assert.Equal("assistant", message.Role);
        Assert.Equal("finish reason: tool_calls", message.Note);
        Assert.Equal([ChatPartKind.Text, ChatPartKind.ToolCall], message.Parts.Select(p => p.Kind));
        Assert.Equal("get_issue", message.Parts[1].Label);
    }

    [Fact]
    public void Opentelemetry_genai_messages_read_their_parts()
    {
        const string input = """
            [
              {"role": "system", "parts": [{"type": "text", "content": "You analyse bug reports."}]},
              {"role": "assistant", "parts": [{"type": "reasoning", "content": "Search first."}, {"type": "tool_call", "id": "call_1", "name": "search_issues", "arguments": {"query": "printer"}}]},
              {"role": "tool", "parts": [{"type": "tool_call_response", "id": "call_1", "response": {"total_count": 0}}]},
              {"role": "assistant", "parts": [{"type": "text", "content": "Nothing found."}], "finish_reason": "stop"}
            ]
            """;

        var reading = ChatPayload.Read(input, isCut: false);

        Assert.Equal(PayloadShape.Chat, reading.Shape);
        Assert.Equal(["system", "assistant", "tool", "assistant"], reading.Messages.Select(m => m.Role));
        Assert.Equal(new ChatPart(ChatPartKind.Text, "Search first.", "reasoning"), reading.Messages[1].Parts[0]);
        var call = reading.Messages[1].Parts[1];
        Assert.Equal((ChatPartKind.ToolCall, "search_issues", "call_1", true), (call.Kind, call.Label, call.CallId, call.IsJson));
        var response = Assert.Single(reading.Messages[2].Parts);
        Assert.Equal((ChatPartKind.ToolResult, "call_1"), (response.Kind, response.CallId));
        Assert.Contains("\"total_count\": 0", response.Text, StringComparison.Ordinal);
        Assert.Equal("finish reason: stop", reading.Messages[3].Note);
    }

    [Fact]
    public void The_pipelines_headed_text_reads_as_turns_with_tool_results_and_tool_calls()
    {
        const string prompt = "[system]\nYou analyse bug reports.\n\n[user]\nPrinter prints [blank] pages.\n\n[assistant]\nLet me look.\n\n" +
                              "[tool search_issues call_7]\n{\"total_count\":0}\n\n";
        const string response = "No such issue yet.\n\n[tool_calls]\n[{\"id\":\"call_8\",\"type\":\"function\",\"function\":{\"name\":\"create_issue\",\"arguments\":\"{\\\"title\\\":\\\"Blank pages\\\"}\"}}]";

        var turns = ChatPayload.Read(prompt, isCut: false);
        var reply = ChatPayload.Read(response, isCut: false);

        Assert.Equal(PayloadShape.Chat, turns.Shape);
        Assert.Equal(["system", "user", "assistant", "tool"], turns.Messages.Select(m => m.Role));
        Assert.Equal("Printer prints [blank] pages.", turns.Messages[1].Parts[0].Text);
        var result = Assert.Single(turns.Messages[3].Parts);
        Assert.Equal((ChatPartKind.ToolResult, "search_issues", "call_7", true), (result.Kind, result.Label, result.CallId, result.IsJson));

        var message = Assert.Single(reply.Messages);
        Assert.Equal("assistant", message.Role);
        Assert.Equal("No such issue yet.", message.Parts[0].Text);
        Assert.Equal((ChatPartKind.ToolCall, "create_issue", "call_8"), (message.Parts[1].Kind, message.Parts[1].Label, message.Parts[1].CallId));
        Assert.Contains("\"title\": \"Blank pages\"", message.Parts[1].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("The printer prints blank pages.")]
    [InlineData("Some [user] text that mentions a role in passing.\n[user]\nand a header later")]
    [InlineData("# A heading\n\n- a list")]
    public void Plain_text_stays_text(string text) =>
        Assert.Equal(PayloadShape.Text, ChatPayload.Read(text, isCut: false).Shape);

    [Fact]
    public void Json_that_is_not_chat_is_pretty_printed_not_markdown()
    {
        var reading = ChatPayload.Read("{\"title\":\"Legacy <b>import</b>\",\"tags\":[\"a\"]}", isCut: false);

        Assert.Equal(PayloadShape.Json, reading.Shape);
        Assert.Equal("{\n  \"title\": \"Legacy <b>import</b>\",\n  \"tags\": [\n    \"a\"\n  ]\n}", reading.Json!.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("{\"title\": \"cut sh", true)]
    [InlineData("[{\"role\": \"user\", \"content\": \"cut sh", true)]
    [InlineData("{\"title\": oops}", false)]
    public void Json_that_does_not_parse_is_shown_as_it_is(string text, bool isCut) =>
        Assert.Equal(PayloadShape.BrokenJson, ChatPayload.Read(text, isCut).Shape);

    [Fact]
    public void A_secret_spelled_with_json_escapes_is_masked_once_decoded()
    {
        // "\u0073k-" is "sk-" once decoded: the masker, reading the stored text, saw only the escape.
        const string prompt = """[{"role": "user", "content": "key: \u0073k-proj-abcdefghijklmnop1234567890"}, {"role": "assistant", "content": null, "tool_calls": [{"id": "c", "function": {"name": "login", "arguments": "{\"pass\\u0077ord\": \"hunter2hunter2\"}"}}]}]""";
        const string data = """{"api\u005fkey": "abcdef0123456789abcdef"}""";

        var chat = ChatPayload.Read(prompt, isCut: false);
        var json = ChatPayload.Read(data, isCut: false);

        Assert.Equal("key: sk-***", chat.Messages[0].Parts[0].Text);
        Assert.DoesNotContain("hunter2", chat.Messages[1].Parts[0].Text, StringComparison.Ordinal);
        Assert.Contains("\"password\": \"***\"", chat.Messages[1].Parts[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("abcdef0123456789", json.Json, StringComparison.Ordinal);
    }

    [Fact]
    public void Deeply_nested_json_is_refused_without_recursing_into_it()
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);
        var deepInArgs = "[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"function\":{\"name\":\"x\",\"arguments\":\"" + new string('[', 10_000) + "\"}}]}]";

        Assert.Equal(PayloadShape.BrokenJson, ChatPayload.Read(deep, isCut: false).Shape);
        Assert.Null(ChatPayload.PrettyJson(deep));
        var call = Assert.Single(Assert.Single(ChatPayload.Read(deepInArgs, isCut: false).Messages).Parts);
        Assert.False(call.IsJson);
    }

    [Fact]
    public void A_megabyte_on_one_line_is_read_in_one_pass()
    {
        var line = new string('a', 1024 * 1024);

        Assert.Equal(PayloadShape.Text, ChatPayload.Read(line, isCut: false).Shape);
        var headed = ChatPayload.Read("[user]\n" + line, isCut: false);
        Assert.Equal(1024 * 1024, Assert.Single(Assert.Single(headed.Messages).Parts).Text.Length);
    }

    [Fact]
    public void Very_long_conversations_keep_their_first_messages_and_count_the_rest()
    {
        var json = "[" + string.Join(",", Enumerable.Repeat("{\"role\":\"user\",\"content\":\"hi\"}", ChatPayload.MaxMessages + 20)) + "]";

        var reading = ChatPayload.Read(json, isCut: false);

        Assert.Equal(ChatPayload.MaxMessages, reading.Messages.Count);
        Assert.Equal(20, reading.Omitted);
    }

    [Fact]
    public void Many_parts_are_bounded_across_messages()
    {
        var message = "{\"role\":\"user\",\"content\":[" + string.Join(",", Enumerable.Repeat("\"x\"", 150)) + "]}";
        var json = "[" + string.Join(",", Enumerable.Repeat(message, 40)) + "]";

        var reading = ChatPayload.Read(json, isCut: false);

        Assert.True(reading.Messages.Sum(m => m.Parts.Count) <= ChatPayload.MaxParts);
        Assert.Equal(40, reading.Messages.Count + reading.Omitted);
    }
}
