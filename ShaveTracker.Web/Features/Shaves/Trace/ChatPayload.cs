using System.Text.Encodings.Web;
using System.Text.Json;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Shaves.Trace;

/// <summary>What a prompt or a response turned out to be.</summary>
public enum PayloadShape
{
    /// <summary>Plain text: rendered as Markdown.</summary>
    Text,

    /// <summary>Chat messages: a conversation.</summary>
    Chat,

    /// <summary>JSON that is not chat: pretty-printed, never Markdown.</summary>
    Json,

    /// <summary>Looks like JSON but does not parse (cut short, broken, nested too deeply): shown as it is, never Markdown.</summary>
    BrokenJson,
}

public enum ChatPartKind
{
    Text,
    ToolCall,
    ToolResult,

    /// <summary>A part of another kind (an image, a file): its JSON.</summary>
    Data,
}

/// <summary>
/// One part of a message. <see cref="Text"/> is what to show: Markdown for text, the arguments of a tool call, the
/// result of a tool, the JSON of any other part (pretty-printed when <see cref="IsJson"/>). <see cref="Label"/> is the
/// tool's name or the part's type. Every string here has been masked after it was decoded.
/// </summary>
public sealed record ChatPart(ChatPartKind Kind, string Text, string? Label = null, string? CallId = null, bool IsJson = false);

/// <summary>One message: who said it, its parts, and what the API said about it (a finish reason).</summary>
public sealed record ChatMessage(string Role, IReadOnlyList<ChatPart> Parts, string? Name = null, string? Note = null);

/// <param name="Json">For <see cref="PayloadShape.Json"/>: the document pretty-printed and masked.</param>
/// <param name="Omitted">Messages left out beyond <see cref="ChatPayload.MaxMessages"/> or <see cref="ChatPayload.MaxParts"/> (the raw view has them).</param>
public sealed record ChatReading(PayloadShape Shape, IReadOnlyList<ChatMessage> Messages, string? Json = null, int Omitted = 0)
{
    public static readonly ChatReading PlainText = new(PayloadShape.Text, []);
}

/// <summary>
/// Reads a prompt or a response as the conversation it usually is: OpenAI's chat messages (a list, a request's
/// <c>messages</c>, a completion's <c>choices[].message</c>), the OpenTelemetry GenAI conventions' messages with
/// <c>parts</c> (what <c>gen_ai.input.messages</c> and <c>gen_ai.output.messages</c> hold), Anthropic's content
/// blocks, and the <c>[role]</c> headed text the pipeline writes. Anything else is plain text or JSON.
/// The text is masked already, but JSON can spell a secret with escapes the masker does not read, so every string is
/// masked again once it is decoded, and JSON is masked as the pretty-printed text that is shown.
/// Depth and size are bounded: the payloads are data nobody here wrote.
/// </summary>
public static class ChatPayload
{
    /// <summary>Deeper JSON is not read (shown as text): real chat payloads are a few levels deep.</summary>
    public const int MaxDepth = 64;

    public const int MaxMessages = 500;

    /// <summary>Parts of all messages together: what the panel renders stays bounded however the messages are split.</summary>
    public const int MaxParts = 2_000;

    private const int MaxPartsPerMessage = 200;

    /// <summary>A header line is short; longer lines are not looked at twice.</summary>
    private const int MaxHeaderLength = 200;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    private static readonly JsonWriterOptions PrettyOptions = new()
    {
        Indented = true,
        // The text goes to the page as text (Blazor encodes it), so escapes would only hide what a string says from
        // the reader and from the masker.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = MaxDepth + 1,
    };

    private static readonly string[] ChatRoles = ["system", "developer", "user", "assistant"];

    public static ChatReading Read(string? text, bool isCut)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ChatReading.PlainText;
        }

        var start = FirstNonSpace(text);
        if (text[start] is '{' or '[')
        {
            if (!isCut && Parse(text) is { } document)
            {
                using (document)
                {
                    var messages = new List<ChatMessage>();
                    var omitted = 0;
                    return ReadChat(document.RootElement, messages, ref omitted)
                        ? new ChatReading(PayloadShape.Chat, messages, Omitted: omitted)
                        : new ChatReading(PayloadShape.Json, [], Pretty(document.RootElement));
                }
            }

            // "[system]" opens the pipeline's own form; any other text that opens like JSON is not Markdown.
            if (ReadHeaded(text) is { } headed)
            {
                return headed;
            }

            return new ChatReading(PayloadShape.BrokenJson, []);
        }

        return ReadHeaded(text) ?? ChatReading.PlainText;
    }

    /// <summary>The JSON pretty-printed and masked, or null when it is not JSON (or nested deeper than <see cref="MaxDepth"/>).</summary>
    public static string? PrettyJson(string? text)
    {
        if (text is null || Parse(text) is not { } document)
        {
            return null;
        }

        using (document)
        {
            return Pretty(document.RootElement);
        }
    }

    private static JsonDocument? Parse(string text)
    {
        try
        {
            return JsonDocument.Parse(text, DocumentOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static int FirstNonSpace(string text)
    {
        var i = 0;
        while (i < text.Length - 1 && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i;
    }

    // ---- JSON messages ----------------------------------------------------------------------------------------------

    private static bool ReadChat(JsonElement root, List<ChatMessage> messages, ref int omitted)
    {
        switch (root.ValueKind)
        {
            case JsonValueKind.Array when IsMessageList(root):
                AddMessages(root.EnumerateArray(), messages, ref omitted);
                return true;
            case JsonValueKind.Object when root.TryGetProperty("messages", out var list) && list.ValueKind == JsonValueKind.Array && IsMessageList(list):
                // Anthropic's request keeps the system prompt beside the messages.
                if (root.TryGetProperty("system", out var system) && Content(system) is { Count: > 0 } systemParts)
                {
                    messages.Add(new ChatMessage("system", systemParts));
                }

                AddMessages(list.EnumerateArray(), messages, ref omitted);
                return true;
            case JsonValueKind.Object when root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array &&
                                           choices.GetArrayLength() > 0 &&
                                           choices.EnumerateArray().All(c => c.ValueKind == JsonValueKind.Object &&
                                                                             c.TryGetProperty("message", out var m) && IsMessage(m)):
                foreach (var choice in choices.EnumerateArray())
                {
                    var message = ReadMessage(choice.GetProperty("message"));
                    var reason = String(choice, "finish_reason");
                    Add(messages, reason is null || message.Note is not null ? message : message with { Note = "finish reason: " + reason }, ref omitted);
                }

                return true;
            case JsonValueKind.Object when IsMessage(root):
                Add(messages, ReadMessage(root), ref omitted);
                return true;
            default:
                return false;
        }
    }

    private static bool IsMessageList(JsonElement array) =>
        array.GetArrayLength() > 0 && array.EnumerateArray().All(IsMessage);

    /// <summary>An object with a string <c>role</c> and something said: content, parts or tool calls.</summary>
    private static bool IsMessage(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && String(e, "role") is not null &&
        (e.TryGetProperty("content", out _) || e.TryGetProperty("parts", out _) || e.TryGetProperty("tool_calls", out _) ||
         e.TryGetProperty("function_call", out _));

    private static void AddMessages(JsonElement.ArrayEnumerator items, List<ChatMessage> messages, ref int omitted)
    {
        foreach (var item in items)
        {
            Add(messages, ReadMessage(item), ref omitted);
        }
    }

    private static void Add(List<ChatMessage> messages, ChatMessage message, ref int omitted)
    {
        if (messages.Count < MaxMessages && omitted == 0 && messages.Sum(m => m.Parts.Count) + message.Parts.Count <= MaxParts)
        {
            messages.Add(message);
        }
        else
        {
            omitted++;
        }
    }

    private static ChatMessage ReadMessage(JsonElement e)
    {
        var role = Mask(String(e, "role")!);
        var parts = new List<ChatPart>();
        var callId = String(e, "tool_call_id");
        if (e.TryGetProperty("parts", out var otelParts) && otelParts.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in otelParts.EnumerateArray())
            {
                parts.Add(Part(part));
            }
        }

        if (e.TryGetProperty("content", out var content))
        {
            if (role == "tool" || callId is not null)
            {
                if (content.ValueKind != JsonValueKind.Null)
                {
                    var (text, isJson) = Value(content);
                    parts.Add(new ChatPart(ChatPartKind.ToolResult, text, MaskOrNull(String(e, "name")), MaskOrNull(callId), isJson));
                }
            }
            else
            {
                parts.AddRange(Content(content));
            }
        }

        if (String(e, "refusal") is { } refusal)
        {
            parts.Add(new ChatPart(ChatPartKind.Text, Mask(refusal), "refusal"));
        }

        if (e.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                parts.Add(OpenAiToolCall(call));
            }
        }

        if (e.TryGetProperty("function_call", out var functionCall) && functionCall.ValueKind == JsonValueKind.Object)
        {
            parts.Add(OpenAiToolCall(functionCall));
        }

        var name = role == "tool" ? null : MaskOrNull(String(e, "name"));
        var reason = String(e, "finish_reason");
        return new ChatMessage(role, Bounded(parts), name, reason is null ? null : "finish reason: " + Mask(reason));
    }

    private static List<ChatPart> Bounded(List<ChatPart> parts) =>
        parts.Count <= MaxPartsPerMessage
            ? parts
            : [.. parts.Take(MaxPartsPerMessage), new ChatPart(ChatPartKind.Text, $"… and {parts.Count - MaxPartsPerMessage} more parts (see Raw).", "omitted")];

    /// <summary>A message's <c>content</c>: a string, or a list of parts (OpenAI's and Anthropic's).</summary>
    private static List<ChatPart> Content(JsonElement content)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return [new ChatPart(ChatPartKind.Text, Mask(content.GetString()!))];
            case JsonValueKind.Array:
                var parts = new List<ChatPart>();
                foreach (var item in content.EnumerateArray())
                {
                    parts.Add(item.ValueKind == JsonValueKind.String ? new ChatPart(ChatPartKind.Text, Mask(item.GetString()!)) : Part(item));
                }

                return parts;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return [];
            default:
                return [Data(content, null)];
        }
    }

    /// <summary>One part, in the OpenTelemetry, OpenAI or Anthropic spelling.</summary>
    private static ChatPart Part(JsonElement part)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            return Data(part, null);
        }

        var type = String(part, "type");
        switch (type)
        {
            case "text" or "input_text" or "output_text" when (String(part, "content") ?? String(part, "text")) is { } text:
                return new ChatPart(ChatPartKind.Text, Mask(text));
            case "reasoning" or "thinking" when (String(part, "content") ?? String(part, "thinking") ?? String(part, "text")) is { } thought:
                return new ChatPart(ChatPartKind.Text, Mask(thought), type);
            case "tool_call" or "tool_use" or "function_call":
                var (args, argsJson) = part.TryGetProperty("arguments", out var a) ? Value(a)
                    : part.TryGetProperty("input", out var input) ? Value(input)
                    : ("", false);
                return new ChatPart(ChatPartKind.ToolCall, args, MaskOrNull(String(part, "name")), MaskOrNull(String(part, "id") ?? String(part, "call_id")), argsJson);
            case "tool_call_response" or "tool_result" or "function_call_output":
                var (result, resultJson) = part.TryGetProperty("response", out var r) ? Value(r)
                    : part.TryGetProperty("content", out var c) ? Value(c)
                    : part.TryGetProperty("output", out var o) ? Value(o)
                    : ("", false);
                return new ChatPart(ChatPartKind.ToolResult, result, null,
                    MaskOrNull(String(part, "id") ?? String(part, "tool_use_id") ?? String(part, "call_id")), resultJson);
            default:
                return Data(part, type);
        }
    }

    /// <summary>OpenAI's <c>{"id", "type": "function", "function": {"name", "arguments"}}</c> (or the older bare function call).</summary>
    private static ChatPart OpenAiToolCall(JsonElement call)
    {
        if (call.ValueKind != JsonValueKind.Object)
        {
            return Data(call, "tool_call");
        }

        var function = call.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object ? f : call;
        var (args, isJson) = function.TryGetProperty("arguments", out var a) ? Value(a) : ("", false);
        return new ChatPart(ChatPartKind.ToolCall, args, MaskOrNull(String(function, "name")), MaskOrNull(String(call, "id")), isJson);
    }

    private static ChatPart Data(JsonElement e, string? type) => new(ChatPartKind.Data, Pretty(e), MaskOrNull(type) ?? "data", IsJson: true);

    /// <summary>
    /// A value to show: a string as it is, unless it is itself JSON (tool arguments usually are), which is
    /// pretty-printed like any other JSON value.
    /// </summary>
    private static (string Text, bool IsJson) Value(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.String)
        {
            var text = e.GetString()!;
            var start = text.Length == 0 ? 0 : FirstNonSpace(text);
            return text.Length > 0 && text[start] is '{' or '[' && PrettyJson(text) is { } pretty ? (pretty, true) : (Mask(text), false);
        }

        return (Pretty(e), true);
    }

    private static string? String(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Pretty(JsonElement e)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, PrettyOptions))
        {
            e.WriteTo(writer);
        }

        return SecretMasker.Apply(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length))!;
    }

    private static string Mask(string text) => SecretMasker.Apply(text)!;

    private static string? MaskOrNull(string? text) => SecretMasker.Apply(text);

    // ---- The pipeline's "[role]" headed text -------------------------------------------------------------------

    /// <summary>
    /// Turns that open with a line <c>[system]</c>, <c>[user]</c>, <c>[assistant]</c> or <c>[tool name id]</c>; a reply
    /// may end with <c>[tool_calls]</c> and OpenAI's tool calls as JSON. Null when the text is not in this form.
    /// </summary>
    private static ChatReading? ReadHeaded(string text)
    {
        var headers = new List<(int LineStart, int BodyStart, string Tag)>();
        for (var lineStart = 0; lineStart < text.Length;)
        {
            var lineEnd = text.IndexOf('\n', lineStart);
            var next = lineEnd < 0 ? text.Length : lineEnd + 1;
            var length = (lineEnd < 0 ? text.Length : lineEnd) - lineStart;
            if (length <= MaxHeaderLength && Tag(text.AsSpan(lineStart, length)) is { } tag)
            {
                headers.Add((lineStart, next, tag));
            }

            lineStart = next;
        }

        if (headers.Count == 0)
        {
            return null;
        }

        var messages = new List<ChatMessage>();
        var omitted = 0;
        var lead = text.AsSpan(0, headers[0].LineStart);
        if (!lead.IsWhiteSpace())
        {
            // Only a reply with its tool calls after its text starts without a header.
            if (headers[0].Tag != "tool_calls")
            {
                return null;
            }

            messages.Add(new ChatMessage("assistant", [new ChatPart(ChatPartKind.Text, Mask(lead.Trim().ToString()))]));
        }

        for (var i = 0; i < headers.Count; i++)
        {
            var (_, bodyStart, tag) = headers[i];
            var bodyEnd = i + 1 < headers.Count ? headers[i + 1].LineStart : text.Length;
            var body = text.AsSpan(bodyStart, bodyEnd - bodyStart).Trim().ToString();
            if (tag == "tool_calls")
            {
                var calls = ToolCallsOf(body);
                if (messages.Count > 0 && messages[^1].Role == "assistant")
                {
                    messages[^1] = messages[^1] with { Parts = Bounded([.. messages[^1].Parts, .. calls]) };
                }
                else
                {
                    Add(messages, new ChatMessage("assistant", Bounded(calls)), ref omitted);
                }
            }
            else if (tag.StartsWith("tool", StringComparison.Ordinal))
            {
                var words = tag.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
                var pretty = body.Length > 0 && body[0] is '{' or '[' ? PrettyJson(body) : null;
                var result = new ChatPart(ChatPartKind.ToolResult, pretty ?? Mask(body),
                    words.Length > 1 ? MaskOrNull(words[1]) : null, words.Length > 2 ? MaskOrNull(words[2]) : null, pretty is not null);
                Add(messages, new ChatMessage("tool", [result]), ref omitted);
            }
            else
            {
                Add(messages, new ChatMessage(tag, body.Length == 0 ? [] : [new ChatPart(ChatPartKind.Text, Mask(body))]), ref omitted);
            }
        }

        return new ChatReading(PayloadShape.Chat, messages, Omitted: omitted);
    }

    /// <summary>The role a header line names: "[user]" is "user", "[tool get_issue call_1]" is "tool get_issue call_1".</summary>
    private static string? Tag(ReadOnlySpan<char> line)
    {
        line = line.TrimEnd();
        if (line.Length < 3 || line[0] != '[' || line[^1] != ']')
        {
            return null;
        }

        var inner = line[1..^1];
        if (inner.Contains('[') || inner.Contains(']'))
        {
            return null;
        }

        var tag = inner.ToString();
        return ChatRoles.Contains(tag) || tag == "tool_calls" || tag == "tool" || (tag.StartsWith("tool ", StringComparison.Ordinal) && tag.Trim().Length > 4)
            ? tag
            : null;
    }

    private static List<ChatPart> ToolCallsOf(string body)
    {
        if (Parse(body) is not { } document)
        {
            // Cut short, most likely: what there is, as it is.
            return [new ChatPart(ChatPartKind.Data, Mask(body), "tool_calls")];
        }

        using (document)
        {
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Array
                ? [.. root.EnumerateArray().Select(OpenAiToolCall)]
                : [OpenAiToolCall(root)];
        }
    }
}
