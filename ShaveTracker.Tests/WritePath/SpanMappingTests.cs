using System.Text.Json;
using ShaveTracker.Web.WritePath;

namespace ShaveTracker.Tests.WritePath;

/// <summary>
/// What a span's payloads become (pure, no database): the text the exporter sent, stored without being parsed and
/// written again, so a prompt, a response, arguments or a result is copied once on the way in (protobuf to string).
/// </summary>
public sealed class SpanMappingTests
{
    private static readonly DateTime At = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);

    private static SpanReport Span(string name, Dictionary<string, string> attributes, bool failed = false, string? status = null) =>
        new("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b8", null, name, At, At.AddSeconds(1), failed, status, attributes, [],
            new Dictionary<string, string>());

    [Fact]
    public void A_model_calls_messages_are_stored_as_the_strings_the_exporter_sent()
    {
        // Built at run time: the strings a parser hands over, not interned literals.
        var input = string.Concat("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Blank pages, caf", "é\"}]}]");
        var output = string.Concat("""[{"role":"assistant","parts":[{"type":"text","content":"Check the toner <now>"}]}""", "]");

        var log = SpanMapping.AiLog(Span("chat gpt-4o", new() { ["gen_ai.operation.name"] = "chat", ["gen_ai.input.messages"] = input, ["gen_ai.output.messages"] = output }), null);

        Assert.Same(input, log.PromptText);
        Assert.Same(output, log.ResponseText);
    }

    [Fact]
    public void System_instructions_go_in_front_of_the_messages_as_sent_without_reencoding_them()
    {
        var attributes = new Dictionary<string, string>
        {
            ["gen_ai.operation.name"] = "chat",
            ["gen_ai.system_instructions"] = """ [{"type":"text","content":"Answer in French: café <b>"}] """,
            ["gen_ai.input.messages"] = """[ {"role":"user","parts":[{"type":"text","content":"Hi"}]} ]""",
        };

        var prompt = SpanMapping.AiLog(Span("chat gpt-4o", attributes), null).PromptText;

        Assert.Equal("""[{"role":"system","parts":[{"type":"text","content":"Answer in French: café <b>"}]},{"role":"user","parts":[{"type":"text","content":"Hi"}]} ]""", prompt);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(prompt!).RootElement.ValueKind);
        Assert.Equal("""[{"role":"system","parts":[]}]""",
            SpanMapping.AiLog(Span("chat", new(attributes) { ["gen_ai.system_instructions"] = "[]", ["gen_ai.input.messages"] = "[ ]" }), null).PromptText);
    }

    [Fact]
    public void Tool_call_arguments_and_results_are_stored_as_sent_and_json_loses_only_the_whitespace_around_it()
    {
        var args = string.Concat("""{"floor":3, "building":""", "\"HQ\"}");
        var result = string.Concat("not ", "json");

        var (storedArgs, storedResult) = SpanMapping.ToolCallTexts(Span("execute_tool lookup_printer",
            new() { ["gen_ai.tool.call.arguments"] = args, ["gen_ai.tool.call.result"] = result }));
        var (padded, notJson) = SpanMapping.ToolCallTexts(Span("execute_tool lookup_printer",
            new() { ["gen_ai.tool.call.arguments"] = " \n[1, 2]\t", ["gen_ai.tool.call.result"] = " {not json " }));
        var (_, error) = SpanMapping.ToolCallTexts(Span("execute_tool lookup_printer", new(), failed: true, status: "Printer offline"));

        Assert.Same(args, storedArgs);
        Assert.Same(result, storedResult);
        Assert.Equal(("[1, 2]", " {not json "), (padded, notJson));
        Assert.Equal("Printer offline", error);
    }

    [Fact]
    public void The_tool_calls_a_response_asks_for_are_read_from_its_json()
    {
        const string response = """[{"role":"assistant","parts":[{"type":"tool_call","id":"call_1","name":"a"},{"type":"text","content":"x"}]},""" +
            """{"tool_calls":[{"type":"function","id":"call_2","function":{"name":"b"}}]},{"type":"tool_call","id":7}]""";

        Assert.Equal(["call_1", "call_2"], SpanMapping.RequestedToolCalls(response));
        Assert.Empty(SpanMapping.RequestedToolCalls("""{"type":"tool_call","id":"call_3" """));
    }

    [Fact]
    public void Derived_ids_are_stable_version_8_uuids()
    {
        var id = SpanMapping.DerivedId("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b8", "ai_log");

        // Rows written by earlier versions are found by this id: it must not change. (SHA-256 of
        // "otlp:{trace}:{span}:ai_log", its first 16 bytes as a .NET Guid, version and variant bits set.)
        Assert.Equal(Guid.Parse("5c051a64-ba7d-8883-aade-d204a1352044"), id);
        Assert.Equal(8, id.Version);
        Assert.NotEqual(id, SpanMapping.DerivedId("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b8", "tool_call"));
    }

    [Fact]
    public void Ordered_ids_are_stable_and_their_text_sorts_by_the_spans_start()
    {
        const string trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        var first = SpanMapping.OrderedId(trace, "00f067aa0ba902b8", "ai_log", At);
        var later = SpanMapping.OrderedId(trace, "00f067aa0ba902b7", "ai_log", At.AddMilliseconds(1));
        var muchLater = SpanMapping.OrderedId(trace, "00f067aa0ba902b6", "tool_call", At.AddDays(30));

        Assert.Equal(first, SpanMapping.OrderedId(trace, "00f067aa0ba902b8", "ai_log", At));
        Assert.NotEqual(first, SpanMapping.OrderedId(trace, "00f067aa0ba902b8", "tool_call", At));
        Assert.Equal(8, first.Version);
        // SQLite holds a Guid as its upper-case text: that is the order of the keys a new row is inserted into.
        Assert.Equal(
            [first, later, muchLater],
            new[] { muchLater, first, later }.OrderBy(id => id.ToString().ToUpperInvariant(), StringComparer.Ordinal));
        // Its first 48 bits are the start in Unix milliseconds, as a version 7 UUID's.
        var ms = ((long)(At - DateTime.UnixEpoch).TotalMilliseconds).ToString("x12", System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith($"{ms[..8]}-{ms[8..]}-8", first.ToString(), StringComparison.Ordinal);
    }
}
