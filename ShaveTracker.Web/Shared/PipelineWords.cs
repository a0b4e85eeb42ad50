using System.Globalization;
using ShaveTracker.Data.Entities;

namespace ShaveTracker.Web.Shared;

/// <summary>
/// The pipeline's values in people's words: step names (<c>optimizing_transcript</c> → "Optimizing the transcript")
/// and step statuses. Step names are open-ended: a step this app does not know is shown readably
/// (<c>checking_links</c> → "Checking links"), and a dynamic step <c>name:suffix</c> (one per batch, say) under its
/// name with the suffix after it ("Executing the task · batch-41").
/// </summary>
public static class PipelineWords
{
    private static readonly Dictionary<string, string> KnownSteps = new(StringComparer.OrdinalIgnoreCase)
    {
        ["uploading_video"] = "Uploading the video",
        ["downloading_video"] = "Downloading the video",
        ["converting_audio"] = "Converting the audio",
        ["transcribing"] = "Transcribing",
        ["optimizing_transcript"] = "Optimizing the transcript",
        ["analyzing_transcript"] = "Analyzing the transcript",
        ["selecting_prompt"] = "Selecting the prompt",
        ["executing_task"] = "Executing the task",
        ["updating_metadata"] = "Updating the video's details",
    };

    /// <summary>The part of a step name before <c>:</c>, which groups the dynamic steps of one kind.</summary>
    public static string StepKind(string stepName)
    {
        var colon = stepName.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? stepName[..colon] : stepName;
    }

    public static string Step(string stepName)
    {
        if (string.IsNullOrWhiteSpace(stepName))
        {
            return "Unnamed step";
        }

        var kind = StepKind(stepName);
        var suffix = kind.Length < stepName.Length ? stepName[(kind.Length + 1)..].Trim() : "";
        var name = KnownSteps.TryGetValue(kind, out var known) ? known : Readable(kind);
        return suffix.Length == 0 ? name : $"{name} · {suffix}";
    }

    public static string StepStatus(ProcessStatus status) => status switch
    {
        ProcessStatus.NotStarted => "Not started",
        ProcessStatus.InProgress => "Running",
        ProcessStatus.Completed => "Done",
        ProcessStatus.Failed => "Failed",
        ProcessStatus.Skipped => "Skipped",
        _ => status.ToString(),
    };

    /// <summary><c>checking_links</c>, <c>checking-links</c> or <c>checkingLinks</c> → "Checking links".</summary>
    private static string Readable(string token)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < token.Length; i++)
        {
            var c = token[i];
            var boundary = c is '_' or '-' or ' ' or '.';
            var camel = char.IsUpper(c) && i > 0 && char.IsLower(token[i - 1]);
            if ((boundary || camel) && current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }

            if (!boundary)
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        if (words.Count == 0)
        {
            return token;
        }

        var sentence = string.Join(' ', words.Select((w, i) => i == 0 ? w : IsAcronym(w) ? w : w.ToLower(CultureInfo.InvariantCulture)));
        return char.ToUpper(sentence[0], CultureInfo.InvariantCulture) + sentence[1..];
    }

    private static bool IsAcronym(string word) => word.Length > 1 && word.All(char.IsUpper);
}
