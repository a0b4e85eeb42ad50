namespace ShaveTracker.Web.Features.DemoData;

/// <summary>What the speaker says about why it matters, and how the pipeline writes it down.</summary>
internal sealed record Impact(string Spoken, string Written, string Priority);

/// <summary>The texts the demo data is assembled from. Placeholders are {name}, {area}, {problem}, ... .</summary>
internal static class DemoTexts
{
    public const string OptimizeSystemPrompt = """
        You are a transcript editor. The text below was produced by automatic speech recognition from a short
        screen recording in which a person reports a bug or asks for a change to a software product.

        Fix only what speech recognition got wrong:
        - misheard words, especially product names, screen names, button labels and technical terms
        - missing punctuation and capitalisation
        - filler words (um, uh, you know) that add nothing
        - sentences that were split or joined in the wrong place

        Do not:
        - summarise, shorten or reorder what the speaker said
        - add anything the speaker did not say
        - change the speaker's meaning, tone or wording beyond the fixes above
        - translate

        Return only the corrected transcript as plain text, without a preamble or an explanation.
        """;

    public const string AnalyzeSystemPrompt = """
        You analyse transcripts of short screen recordings in which a person reports a bug or requests a change to a
        software product. Produce a JSON object that later steps use to write a backlog item.

        Return only JSON, with these properties:
        - "title": a specific title of at most 80 characters that names the symptom, e.g. "Checkout total doesn't
          include shipping".
        - "type": "bug" for something that does not work as it should, "task" for new work or a change.
        - "summary": one or two sentences describing the problem or request in neutral, written English.
        - "pain": why it matters, as the speaker explained it (customers affected, time lost, deadlines).
        - "expectedBehaviour": what should happen instead, in one sentence.
        - "stepsToReproduce": an array of short imperative steps; empty for tasks.
        - "labels": an array of lower-case labels; always include "yakshaver".
        - "priority": "high" if the speaker says customers are affected or there is a deadline, "low" if the speaker
          says it is minor, otherwise "medium".
        - "mentions": people, browsers, devices or releases the speaker mentions.

        Rules:
        - Use only what the speaker said. Do not invent steps, error messages or numbers.
        - Keep the speaker's names for screens and buttons; fix obvious transcription errors.
        - If the recording contains more than one problem, describe the first and list the others in "summary".
        - Never copy passwords, tokens, email addresses or payment card numbers into the output.
        """;

    public const string ExecuteSystemPrompt = """
        You are YakShaver, an assistant that turns a short screen recording into a backlog item.

        You receive the transcript of a recording in which a person (the requester) describes a bug or asks for a
        change, a structured analysis of that transcript, a link to the uploaded video and the project the recording
        belongs to. Use the tools you have been given to write exactly one work item in the project's backlog.

        How to work:
        1. Search the backlog for an existing open item about the same problem. If one exists, do not create a
           duplicate: add a comment to it with the new details and the video link, and report its URL.
        2. Otherwise create a new item. Where the project's instructions below differ from these, follow the
           project's instructions.
        3. Never invent details that are not in the transcript. If something is unclear, say so in the item instead
           of guessing.
        4. Never include passwords, access tokens, personal data or payment card numbers, even if they appear in the
           transcript or on screen.
        5. When the item has been created or updated, reply with its URL and a one-line summary.

        Write the item body in Markdown with exactly this structure:

            Requested by @<requester> via YakShaver

            [Watch the video (<m:ss>)](<video url>)

            ## Pain
            What is wrong or missing, and why it matters to the requester, in two to four sentences. Describe the
            behaviour, not the code.

            ## Acceptance Criteria
            A numbered list of observable outcomes that a tester can check. One sentence each.

            ## Screenshot
            A frame from the video that shows the problem, with its timestamp as the alt text.

        Title rules: at most 80 characters, specific, written as the symptom ("Login button does nothing on
        Safari"), not as a request ("Please fix login"). Do not prefix the title with "Bug:" or the project name.

        Labels: "bug" for defects, "enhancement" for new features and changes; always add "yakshaver".
        """;

    public const string TitleSystemPrompt = """
        Write one title for a backlog item, at most 80 characters, naming the symptom the speaker describes.
        No quotes, no trailing full stop, no "Bug:" prefix. Reply with the title only.
        """;

    /// <summary>A project prompt of the size real teams write: several KB of house rules.</summary>
    public const string PaymentsCustomPrompt = """
        # Payments Platform — backlog rules for YakShaver

        These instructions replace the default ones where they differ. The Payments backlog is read by developers,
        the finance team and, for anything touching card data, the security team. Write for all three.

        ## Work item types
        - Use "Bug" for anything that behaves differently from how it behaved before, or differently from what the
          product documentation says. Use "Product Backlog Item" for everything else.
        - Never create Epics, Features or Tasks. The product owner creates those during refinement.
        - If the requester mentions money being charged, refunded or reported incorrectly, it is always a Bug, even
          if they call it "a small thing".

        ## Area paths and tags
        - Area path: Payments\Portal for anything on screen, Payments\Api for webhooks, exports and integrations,
          Payments\Reporting for reports and reconciliation.
        - Always tag "YakShaver". Add "Finance" when the finance team is affected and "Security" when the item
          involves permissions, roles, card data or personal data.
        - Do not invent new tags. The tag list is curated; unknown tags are removed during refinement.

        ## Titles
        - Start with the screen or report the problem is on: "Invoice PDF - totals are off by one cent".
        - Use the names the portal uses ("Disputes", not "chargebacks tab"; "Reconciliation report", not
          "bank report").
        - Keep amounts and currencies out of titles; put them in the description.

        ## Description
        Keep the default structure (Pain, Acceptance Criteria, Screenshot) and add these when they apply:
        - "Affected customers": how many and which plan, if the requester says so. Never names or email addresses.
        - "Money at risk": the amount per transaction or per month, if the requester mentions one.
        - "Workaround": what support can do today, if anything.

        ## Acceptance criteria
        - Write them so that a tester with the Payments test account can check each one in the staging portal.
        - For anything involving rounding, state the rounding rule: amounts are rounded half away from zero to the
          currency's minor unit, per line, before summing.
        - For anything involving time zones, state the expected time zone (the organisation's time zone unless the
          requester says otherwise).
        - For permission bugs, include one criterion for the UI and one for the API: hiding a button is not enough.

        ## Priority
        - 1: money is charged, refunded or reported incorrectly, or card data may be exposed.
        - 2: a finance or support workflow is blocked and there is no workaround.
        - 3: everything else.
        State the priority in the description and set Microsoft.VSTS.Common.Priority to match.

        ## Security and privacy
        - Never copy card numbers, CVCs, bank account numbers, customer names, email addresses or phone numbers from
          the transcript or the video into the work item. Replace them with "[redacted]".
        - If the video shows any of the above on screen, do not attach a screenshot; write "Screenshot withheld:
          contains customer data" in the Screenshot section instead.
        - If the requester describes a possible security vulnerability (for example one customer seeing another
          customer's transactions), create the item with the "Security" tag, priority 1, and add the sentence
          "Reported through YakShaver; triage with the security team before discussing publicly."

        ## Duplicates
        Search open Bugs and Product Backlog Items in Payments by the screen name and the main symptom before creating
        anything. If an open item matches, add a comment with the new video and any new details instead of creating
        a new item, and return the existing item's URL.
        """;

    public const string MobileCustomPrompt = """
        Mobile App backlog: always add the label "mobile" and one of "ios", "android" or "both" depending on the
        devices the requester mentions ("both" if none). Put the app version in the first line of the body when the
        requester mentions it. Crashes are always labelled "crash" and never "enhancement".
        """;

    public static readonly IReadOnlyList<string> BugOpeners =
    [
        "Hi, it's {name} here. So I'm on the {area}{inProject}, and {problem}.",
        "Hey team, {name} here, quick one. Um, I'm in the {area}{inProject} and I've noticed that {problem}.",
        "Okay, so, this is {name}. I'm recording this because {problem}. This is on the {area}{inProject}.",
        "Hi everyone. Uh, {name} here. I just ran into something on the {area}{inProject}: {problem}.",
    ];

    public static readonly IReadOnlyList<string> TaskOpeners =
    [
        "Hi, it's {name} here. I've got a small request for the {area}{inProject}.",
        "Hey team, {name} here. Um, this one's not a bug, it's more of an idea for the {area}{inProject}.",
        "Okay, so, this is {name}, and I want to talk about the {area}{inProject} for a minute.",
    ];

    public static readonly IReadOnlyList<string> BugDetails =
    [
        "Let me show you. So I'll go to the {area}, and I'll do exactly what a customer would do. And, uh, yeah, there it is. You can see {problem}.",
        "I tried it a couple of times to make sure it's not just me. I refreshed, I cleared the cache, and, um, I even tried it in {otherBrowser}, and it's the same every time.",
        "So the steps are pretty simple. Open the {area}, do the thing, and, yeah, {problem}. It happens maybe nine times out of ten for me.",
        "I also asked {colleague} to try it on their machine and they got the same result, so I'm fairly sure it's a real issue and not just my setup.",
        "I had a quick look at the console and there's a red error in there, something like 'cannot read properties of undefined', but I'll leave that to the devs.",
        "If you look at the top right you can see I'm signed in as a normal user, not an admin, so I don't think it's a permissions thing.",
        "And just to be clear, this is on the live site, not on staging. I checked the URL.",
    ];

    public static readonly IReadOnlyList<string> TaskDetails =
    [
        "So right now {problem}. Let me show you what I mean. Here's the {area} as it is today, and, um, you can see what's missing.",
        "I've talked to a few people about this, {colleague} included, and everyone agrees it would save a lot of time.",
        "It doesn't need to be fancy. I think a first version could be pretty simple, and we can improve it later.",
        "I had a look at how a couple of other apps do it, and, uh, most of them just do the obvious thing.",
    ];

    /// <summary>What people say while they click around; longer recordings have more of it.</summary>
    public static readonly IReadOnlyList<string> Narration =
    [
        "So, um, just to give you some context, this is the {area} that most people use every day.",
        "I'm going to scroll down a bit here so you can see the whole thing.",
        "Sorry, my notifications keep popping up, let me just turn those off. Okay.",
        "You can see the address up here, that's the page I'm on.",
        "I'll zoom in a little so it's easier to see on the recording.",
        "This is the part that matters, right here.",
        "And, uh, if I go back and try again, it's exactly the same.",
        "I've got {browser} open here, fairly up to date, I think.",
        "{colleague} mentioned something similar in stand-up last week, so it might be related.",
        "I'm not sure if this is one thing or two things, to be honest, so I'll just describe what I see.",
        "Let me go back to the start so you can see the whole flow from the beginning.",
        "Okay, so that's how it looks right now.",
        "It's a bit hard to see on the recording, but there's a small message at the bottom that disappears really quickly.",
        "I don't want to take too much of your time with this, but I think it's worth showing properly.",
    ];

    public static readonly IReadOnlyList<Impact> BugImpacts =
    [
        new("This is hitting customers. We've had three or four support tickets about it this week.",
            "Customers are affected: support has had several tickets about it this week.", "high"),
        new("It's not a blocker, but it's really annoying, and honestly it makes us look a bit unprofessional.",
            "Not a blocker, but it is visible to customers and looks unprofessional.", "medium"),
        new("I think this started after the last release, because it was definitely working on Monday.",
            "Likely a regression from the last release; it worked earlier in the week.", "high"),
        new("It's been like this for a while, I think, but today it cost me about half an hour, so I figured I'd record it.",
            "Long-standing issue that costs the team time whenever it happens.", "medium"),
        new("Um, I'd say it's fairly urgent, because the sales team is demoing this on Thursday.",
            "Urgent: the sales team is demoing this on Thursday.", "high"),
        new("It's a small thing really, no rush on this one.",
            "Minor issue; the requester says there is no rush.", "low"),
    ];

    public static readonly IReadOnlyList<Impact> TaskImpacts =
    [
        new("It's not urgent, but it'd be great to get it into the next sprint or so.",
            "Not urgent; would be good to schedule in the next sprint or two.", "low"),
        new("People ask about this pretty much every week, so I think it's worth doing.",
            "Requested regularly; the team is asked about it almost every week.", "medium"),
        new("We promised this to a customer for the end of the month, so it'd be good to get it going.",
            "Promised to a customer for the end of the month.", "high"),
    ];

    public static readonly IReadOnlyList<string> ExpectedLines =
    [
        "What I'd expect is that {expected}.",
        "What should happen, I think, is that {expected}. That's how it used to work, anyway.",
        "Ideally {expected}. And if that's hard for some reason, at least show a proper error message.",
    ];

    public static readonly IReadOnlyList<string> TaskExpectedLines =
    [
        "So what I'm asking for is that {expected}.",
        "Basically, it'd be done when {expected}.",
    ];

    public static readonly IReadOnlyList<string> Closings =
    [
        "Yeah, that's it. Thanks!",
        "Cool, that's all from me. Cheers.",
        "Okay, I'll stop the recording now. Thanks, guys.",
        "Let me know if you need anything else from me. Thanks.",
    ];

    public static readonly IReadOnlyList<string> Browsers = ["Chrome", "Edge", "Firefox", "Safari"];

    public static readonly IReadOnlyList<string> Colleagues = ["Jordan", "Mia", "Tom", "Grace", "Luis"];

    public static readonly IReadOnlyList<string> ExtraCriteria =
    [
        "Works in the latest Chrome, Edge, Firefox and Safari.",
        "Covered by an automated test so it does not come back.",
        "No errors in the browser console while doing the steps above.",
        "The fix is mentioned in the release notes.",
    ];

    /// <summary>What the pipeline had called the shave before someone fixed its title; {area} is filled in.</summary>
    public static readonly IReadOnlyList<string> VagueTitles =
    [
        "Issue with the {area}",
        "Problem on {area}",
        "{area} not working",
        "Bug report: {area}",
    ];

    public static readonly IReadOnlyList<string> NoWorkItemReplies =
    [
        "I searched the backlog but could not determine which repository this recording belongs to, so I did not create a work item. Please pick a project and run the recording again.",
        "The transcript does not describe a concrete problem or request I can write up, so I have not created a work item.",
    ];
}
