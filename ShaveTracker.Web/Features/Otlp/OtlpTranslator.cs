using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using ShaveTracker.Web.Features.Otlp.Proto;
using ShaveTracker.Web.WritePath;

namespace ShaveTracker.Web.Features.Otlp;

/// <summary>
/// OTLP's spans as the write path's <see cref="SpanReport"/>s. A span without a valid trace id or span id (16 and 8
/// bytes, not all zero) cannot be identified, so it is refused here with its reason.
/// </summary>
public static class OtlpTranslator
{
    public static (List<SpanReport> Spans, List<SpanRejection> Rejected) Translate(ExportTraceServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var spans = new List<SpanReport>();
        var rejected = new List<SpanRejection>();
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var resource = Attributes(resourceSpans.Resource?.Attributes);
            foreach (var scope in resourceSpans.ScopeSpans)
            {
                foreach (var span in scope.Spans)
                {
                    var traceId = Hex(span.TraceId, 16);
                    var spanId = Hex(span.SpanId, 8);
                    if (traceId is null || spanId is null)
                    {
                        rejected.Add(new SpanRejection(traceId ?? Convert.ToHexStringLower(span.TraceId.Span), spanId ?? Convert.ToHexStringLower(span.SpanId.Span),
                            "The span needs a trace_id of 16 bytes and a span_id of 8 bytes, not all zero."));
                        continue;
                    }

                    spans.Add(new SpanReport(traceId, spanId, Hex(span.ParentSpanId, 8), span.Name,
                        Time(span.StartTimeUnixNano), Time(span.EndTimeUnixNano),
                        span.Status?.Code == Proto.Status.Types.StatusCode.Error, NullIfEmpty(span.Status?.Message),
                        Attributes(span.Attributes),
                        [.. span.Events.Select(e => new SpanEventReport(e.Name, Time(e.TimeUnixNano), Attributes(e.Attributes)))],
                        resource));
                }
            }
        }

        return (spans, rejected);
    }

    public static int CountSpans(ExportTraceServiceRequest request) =>
        request.ResourceSpans.Sum(r => r.ScopeSpans.Sum(s => s.Spans.Count));

    private static string? Hex(ByteString id, int length) =>
        id.Length == length && id.Span.ContainsAnyExcept((byte)0) ? Convert.ToHexStringLower(id.Span) : null;

    private static DateTime Time(ulong unixNano) =>
        DateTime.UnixEpoch.AddTicks((long)Math.Min(unixNano / 100, (ulong)(DateTime.MaxValue - DateTime.UnixEpoch).Ticks));

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static Dictionary<string, string> Attributes(IEnumerable<KeyValue>? attributes)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kv in attributes ?? [])
        {
            if (Text(kv.Value) is { } text)
            {
                // Keys are unique per the specification; a sender that repeats one keeps its first value here.
                result.TryAdd(kv.Key, text);
            }
        }

        return result;
    }

    /// <summary>Strings as they are; numbers and booleans invariant; arrays and maps as JSON; bytes as base64.</summary>
    private static string? Text(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString("R", CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BytesValue => value.BytesValue.ToBase64(),
        AnyValue.ValueOneofCase.ArrayValue or AnyValue.ValueOneofCase.KvlistValue => JsonText(value),
        _ => null,
    };

    private static string JsonText(AnyValue value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, value);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void Write(Utf8JsonWriter writer, AnyValue? value)
    {
        switch (value?.ValueCase)
        {
            case AnyValue.ValueOneofCase.StringValue:
                writer.WriteStringValue(value.StringValue);
                break;
            case AnyValue.ValueOneofCase.BoolValue:
                writer.WriteBooleanValue(value.BoolValue);
                break;
            case AnyValue.ValueOneofCase.IntValue:
                writer.WriteNumberValue(value.IntValue);
                break;
            case AnyValue.ValueOneofCase.DoubleValue when double.IsFinite(value.DoubleValue):
                writer.WriteNumberValue(value.DoubleValue);
                break;
            case AnyValue.ValueOneofCase.BytesValue:
                writer.WriteStringValue(value.BytesValue.ToBase64());
                break;
            case AnyValue.ValueOneofCase.ArrayValue:
                writer.WriteStartArray();
                foreach (var item in value.ArrayValue.Values)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case AnyValue.ValueOneofCase.KvlistValue:
                writer.WriteStartObject();
                foreach (var kv in value.KvlistValue.Values)
                {
                    writer.WritePropertyName(kv.Key);
                    Write(writer, kv.Value);
                }

                writer.WriteEndObject();
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
