using System.Buffers;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.Features.Otlp.Proto;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.WritePath;
using GrpcStatus = Grpc.Core.Status;
using RpcStatus = ShaveTracker.Web.Features.Otlp.Proto.Rpc.Status;

namespace ShaveTracker.Web.Features.Otlp;

/// <summary>
/// ShaveTracker as an OTLP endpoint for traces: <c>POST /v1/traces</c> (protobuf or JSON, gzip or not) and the gRPC
/// <c>TraceService/Export</c>, with the API's worker credentials and rate limit. Each only reads the export and hands
/// its spans to the write path (<see cref="IngestionService.AppendSpansAsync"/>); the answer says how many spans were
/// refused and why (OTLP's partial_success), so an exporter does not send again what cannot be written.
/// </summary>
public static class OtlpEndpoints
{
    public const string TracesPath = "/v1/traces";
    public const string GrpcPath = "/opentelemetry.proto.collector.trace.v1.TraceService";
    private const string Protobuf = "application/x-protobuf";
    private const string Json = "application/json";

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary>True for the receiver's addresses (their body limit, their error answers).</summary>
    public static bool IsOtlp(PathString path) => path.StartsWithSegments(TracesPath) || path.StartsWithSegments(GrpcPath);

    public static WebApplicationBuilder AddOtlpFeature(this WebApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection(IngestionOptions.SectionName).Get<IngestionOptions>() ?? new IngestionOptions();
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = (int)Math.Min(int.MaxValue, limits.MaxBodyBytes);
            // No catch-all "unimplemented service" endpoint: any other two-segment POST is the app's, not gRPC's.
            o.IgnoreUnknownServices = true;
        });
        return builder;
    }

    public static WebApplication MapOtlpFeature(this WebApplication app)
    {
        app.MapPost(TracesPath, ExportAsync)
            .RequireAuthorization(Policies.CanIngest)
            .RequireRateLimiting(IngestionEndpoints.RateLimitPolicy)
            .DisableAntiforgery()
            .ExcludeFromDescription();
        app.MapGrpcService<OtlpTraceService>()
            .RequireAuthorization(Policies.CanIngest)
            .RequireRateLimiting(IngestionEndpoints.RateLimitPolicy);
        return app;
    }

    /// <summary>OTLP/HTTP: the answer is in the encoding of the request; a body that cannot be read is a 400 with a google.rpc.Status.</summary>
    public static async Task ExportAsync(HttpContext http, IngestionService ingest, IOptions<IngestionOptions> options)
    {
        var contentType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        var json = contentType == Json;
        if (!json && contentType != Protobuf)
        {
            await ErrorAsync(http, StatusCodes.Status415UnsupportedMediaType, json: false,
                $"Send the export as {Protobuf} or {Json} (OTLP/HTTP).");
            return;
        }

        ExportTraceServiceRequest request;
        try
        {
            request = await ReadAsync(http, json, options.Value.MaxBodyBytes);
        }
        catch (BodyTooLargeException)
        {
            await ErrorAsync(http, StatusCodes.Status413PayloadTooLarge, json,
                $"The export may be at most {options.Value.MaxBodyBytes:N0} bytes (Ingestion:MaxBodyBytes), uncompressed. Export smaller batches.");
            return;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await ErrorAsync(http, StatusCodes.Status413PayloadTooLarge, json,
                $"The export may be at most {options.Value.MaxBodyBytes:N0} bytes (Ingestion:MaxBodyBytes). Export smaller batches.");
            return;
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException or System.Text.Json.JsonException or InvalidDataException or FormatException)
        {
            await ErrorAsync(http, StatusCodes.Status400BadRequest, json, $"The body is not an OTLP {(json ? "JSON" : "protobuf")} trace export: {ex.Message}");
            return;
        }

        var response = await WriteSpansAsync(ingest, IngestionHttp.CredentialFor(http), request, http.RequestAborted);
        http.Response.StatusCode = StatusCodes.Status200OK;
        await WriteAsync(http, response, json);
    }

    /// <summary>The write, shared by both transports.</summary>
    internal static async Task<ExportTraceServiceResponse> WriteSpansAsync(IngestionService ingest, Credential credential, ExportTraceServiceRequest request,
        CancellationToken ct)
    {
        var (spans, refused) = OtlpTranslator.Translate(request);
        var result = spans.Count == 0 && refused.Count == 0
            ? new SpanBatchResult(0, [])
            : await ingest.AppendSpansAsync(credential, spans, refused, ct);
        var response = new ExportTraceServiceResponse();
        if (result.Rejected.Count > 0)
        {
            response.PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = result.Rejected.Count, ErrorMessage = result.Summary ?? "" };
        }

        return response;
    }

    private static async Task<ExportTraceServiceRequest> ReadAsync(HttpContext http, bool json, long limit)
    {
        var encoding = http.Request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        if (encoding is "gzip")
        {
            // Decompressed once into one buffer, which is bounded like an uncompressed body.
            await using var gzip = new GZipStream(http.Request.Body, CompressionMode.Decompress);
            var bytes = await ReadAllAsync(gzip, limit, http.RequestAborted);
            return json ? ParseJson(bytes) : ExportTraceServiceRequest.Parser.ParseFrom(bytes);
        }

        if (encoding is not ("" or "identity"))
        {
            throw new InvalidDataException($"Content-Encoding '{encoding}' is not accepted: send gzip or no encoding.");
        }

        // Uncompressed: parsed where the server buffered it, without copying the body first.
        var reader = http.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(http.RequestAborted);
            if (read.Buffer.Length > limit)
            {
                throw new BodyTooLargeException();
            }

            if (read.IsCompleted)
            {
                try
                {
                    return json ? ParseJson(read.Buffer.ToArray()) : ExportTraceServiceRequest.Parser.ParseFrom(read.Buffer);
                }
                finally
                {
                    reader.AdvanceTo(read.Buffer.End);
                }
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, long limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int n;
            while ((n = await stream.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + n > limit)
                {
                    throw new BodyTooLargeException();
                }

                buffer.Write(chunk, 0, n);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// OTLP/JSON is protobuf's JSON mapping except that trace and span ids are hex, not base64: they are turned into
    /// base64 before protobuf's parser reads the rest. An id that is not hex is dropped, and its span refused.
    /// </summary>
    private static ExportTraceServiceRequest ParseJson(byte[] body)
    {
        var root = JsonNode.Parse(body) as JsonObject ?? throw new FormatException("The body is not a JSON object.");
        foreach (var resourceSpans in Items(root, "resourceSpans", "resource_spans"))
        {
            foreach (var scopeSpans in Items(resourceSpans, "scopeSpans", "scope_spans"))
            {
                foreach (var span in Items(scopeSpans, "spans", "spans"))
                {
                    foreach (var name in (string[])["traceId", "trace_id", "spanId", "span_id", "parentSpanId", "parent_span_id"])
                    {
                        if (span[name] is JsonValue value && value.TryGetValue<string>(out var hex))
                        {
                            span.Remove(name);
                            if (hex.Length > 0 && hex.Length % 2 == 0 && IsHex(hex))
                            {
                                span[name] = Convert.ToBase64String(Convert.FromHexString(hex));
                            }
                        }
                    }

                    span.Remove("links");
                }
            }
        }

        return Parser.Parse<ExportTraceServiceRequest>(root.ToJsonString());
    }

    private static IEnumerable<JsonObject> Items(JsonObject parent, string name, string alternative) =>
        (parent[name] ?? parent[alternative]) is JsonArray array ? array.OfType<JsonObject>() : [];

    private static bool IsHex(string text) => text.All(Uri.IsHexDigit);

    private static async Task WriteAsync(HttpContext http, IMessage message, bool json)
    {
        if (json)
        {
            http.Response.ContentType = Json;
            await http.Response.WriteAsync(JsonFormatter.Default.Format(message), http.RequestAborted);
        }
        else
        {
            http.Response.ContentType = Protobuf;
            await http.Response.Body.WriteAsync(message.ToByteArray(), http.RequestAborted);
        }
    }

    private static Task ErrorAsync(HttpContext http, int status, bool json, string message)
    {
        http.Response.StatusCode = status;
        // google.rpc.Status codes: INVALID_ARGUMENT for what cannot be read, RESOURCE_EXHAUSTED for what is too large.
        var code = status == StatusCodes.Status413PayloadTooLarge ? 8 : 3;
        return WriteAsync(http, new RpcStatus { Code = code, Message = message }, json);
    }

    private sealed class BodyTooLargeException : Exception;
}

/// <summary>OTLP/gRPC: the collector's TraceService, answering as the HTTP endpoint does.</summary>
[Authorize(Policy = Policies.CanIngest)]
public sealed class OtlpTraceService(IngestionService ingest) : TraceService.TraceServiceBase
{
    public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var credential = IngestionHttp.CredentialOf(context.GetHttpContext())
            ?? throw new RpcException(new GrpcStatus(StatusCode.Unauthenticated, "Send an X-Api-Key header or an Entra bearer token with Shaves.Ingest."));
        return OtlpEndpoints.WriteSpansAsync(ingest, credential, request, context.CancellationToken);
    }
}
