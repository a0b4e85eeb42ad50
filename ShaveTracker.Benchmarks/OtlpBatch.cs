using Google.Protobuf;
using ShaveTracker.Web.Features.Otlp.Proto;

namespace ShaveTracker.Benchmarks;

/// <summary>
/// One OTLP export as Microsoft.Extensions.AI's instrumentation fills it: `chat` spans with the GenAI conventions'
/// messages JSON, model and usage, and `execute_tool` spans under them naming the call id their chat asked for.
/// Built with the app's own OTLP messages (the published field numbers), serialized as an exporter does.
/// </summary>
internal static class OtlpBatch
{
    // About 1 KB of attributes a span on average (~1.1 KB on the wire): a chat span's messages, model and usage take
    // about 1.4 KB, a tool span's call id, arguments and result about 0.6 KB.
    private static readonly string Prompt = """[{"role":"system","parts":[{"type":"text","content":"You triage office IT problems and file issues. Look the device up before you answer, name the part that failed, and say what the person can try themselves while they wait."}]},{"role":"user","parts":[{"type":"text","content":"The printer on level 3 prints blank pages since this morning; the toner was replaced last week and the test page is blank too. It still pulls the paper through and the display says Ready, no error light. Two people on the floor need to print contracts for a signing at 2 pm today, and the level 2 printer is out of paper. I tried switching it off and on again, and I reinstalled the driver on my laptop, same result. The colleague next to me gets blank pages from her Mac as well, so it is probably not my machine. Facilities said the service contract covers parts but not toner, and nobody knows who orders the toner since the office manager left in October."}]}]""";

    private const string Result = """{"printer":"HQ-L3-01","model":"LaserJet M507","status":"online","toner":"empty","toner_installed":"2026-11-30","toner_part":"CF289A","queue":4,"pages_since_service":48210,"last_service":"2026-11-20","open_tickets":[{"id":"IT-4411","title":"Streaks on printed pages","opened":"2026-11-18"}],"location":"Level 3, next to the kitchen","owner":"facilities@example.com","alternatives":["HQ-L2-01","HQ-L4-02"]}""";

    public static byte[] Build(Guid shaveId, int spanCount)
    {
        var trace = ByteString.CopyFrom(Guid.NewGuid().ToByteArray());
        var start = (ulong)(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000);
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "Experimental.Microsoft.Extensions.AI", Version = "10.11.0" } };
        ByteString? chat = null;
        string? callId = null;
        for (var i = 0; i < spanCount; i++)
        {
            var id = ByteString.CopyFrom(BitConverter.GetBytes(Random.Shared.NextInt64()));
            var at = start + ((ulong)i * 1_000_000);
            if (i % 2 == 0)
            {
                chat = id;
                callId = "call_" + Guid.NewGuid().ToString("N")[..24];
                var output = $$$"""[{"role":"assistant","parts":[{"type":"tool_call","id":"{{{callId}}}","name":"lookup_printer","arguments":{"floor":3,"building":"HQ"}}],"finish_reason":"tool_call"}]""";
                scope.Spans.Add(new Span
                {
                    TraceId = trace, SpanId = id, Name = "chat gpt-4o", Kind = Span.Types.SpanKind.Client,
                    StartTimeUnixNano = at, EndTimeUnixNano = at + 900_000,
                    Attributes =
                    {
                        Text("gen_ai.operation.name", "chat"), Text("gen_ai.provider.name", "openai"), Text("gen_ai.request.model", "gpt-4o"),
                        Text("gen_ai.response.model", "gpt-4o-2024-08-06"), Text("gen_ai.input.messages", Prompt), Text("gen_ai.output.messages", output),
                        Number("gen_ai.usage.input_tokens", 1200), Number("gen_ai.usage.output_tokens", 85), Text("gen_ai.response.finish_reasons", "tool_calls"),
                    },
                });
            }
            else
            {
                scope.Spans.Add(new Span
                {
                    TraceId = trace, SpanId = id, ParentSpanId = chat, Name = "execute_tool lookup_printer", Kind = Span.Types.SpanKind.Internal,
                    StartTimeUnixNano = at, EndTimeUnixNano = at + 300_000,
                    Attributes =
                    {
                        Text("gen_ai.operation.name", "execute_tool"), Text("gen_ai.tool.name", "lookup_printer"), Text("gen_ai.tool.call.id", callId!),
                        Text("gen_ai.tool.call.arguments", """{"floor":3,"building":"HQ"}"""),
                        Text("gen_ai.tool.call.result", Result),
                    },
                    Status = new Status { Code = Status.Types.StatusCode.Ok },
                });
            }
        }

        var request = new ExportTraceServiceRequest();
        var resource = new ResourceSpans { Resource = new Resource { Attributes = { Text("service.name", "bench-pipeline"), Text("shavetracker.shave.id", shaveId.ToString()) } } };
        resource.ScopeSpans.Add(scope);
        request.ResourceSpans.Add(resource);
        return request.ToByteArray();
    }

    private static KeyValue Text(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static KeyValue Number(string key, long value) => new() { Key = key, Value = new AnyValue { IntValue = value } };
}
