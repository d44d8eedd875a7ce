// What GitHub Actions tells a step through its environment and the event payload, read once and validated.
using System.Text.Json;

namespace SecretScan.Cli;

/// <summary>The pull request of a pull_request, pull_request_target or merge_group event: the commits it adds.</summary>
internal sealed record CiPullRequest
{
    /// <summary>The PR number; 0 for a merge queue group.</summary>
    public int Number { get; init; }

    public required string BaseSha { get; init; }

    public required string HeadSha { get; init; }

    /// <summary>How many commits the PR has (the payload's `commits`); null when the payload does not say.</summary>
    public int? Commits { get; init; }

    /// <summary>The head lives in another repository (or one since deleted): its token cannot write alerts.</summary>
    public bool IsFork { get; init; }
}

/// <summary>A push event: the ref moved from <see cref="Before"/> to <see cref="After"/> (all zeros when created or deleted).</summary>
internal sealed record CiPush
{
    public required string Ref { get; init; }

    public required string Before { get; init; }

    public required string After { get; init; }

    public bool Forced { get; init; }

    /// <summary>Length of the payload's `commits` list (GitHub lists at most 2048); null when absent.</summary>
    public int? Commits { get; init; }

    /// <summary>The repository's default branch, e.g. "main"; null when the payload does not say.</summary>
    public string? DefaultBranch { get; init; }

    public bool IsCreated => IsZero(Before);

    public bool IsDeleted => IsZero(After);

    public static bool IsZero(string sha) => sha.Length > 0 && sha.All(c => c == '0');
}

internal sealed record CiGithubContext
{
    public string EventName { get; init; } = "";

    /// <summary>Where the repository is checked out (GITHUB_WORKSPACE); the default scan root.</summary>
    public string? Workspace { get; init; }

    /// <summary>The commit the workflow runs on (GITHUB_SHA): for a pull request, the merge commit GitHub made.</summary>
    public string? Sha { get; init; }

    public string? Ref { get; init; }

    /// <summary>owner/name (GITHUB_REPOSITORY), for links in the summary.</summary>
    public string? Repository { get; init; }

    public string ServerUrl { get; init; } = "https://github.com";

    /// <summary>The file the job summary is appended to (GITHUB_STEP_SUMMARY); null outside Actions.</summary>
    public string? StepSummary { get; init; }

    /// <summary>The file step outputs are appended to (GITHUB_OUTPUT); null outside Actions.</summary>
    public string? OutputFile { get; init; }

    /// <summary>A per-job temp folder (RUNNER_TEMP): the default home of the SARIF file.</summary>
    public string? RunnerTemp { get; init; }

    public CiPullRequest? PullRequest { get; init; }

    public CiPush? Push { get; init; }

    public bool IsFork => PullRequest?.IsFork ?? false;

    /// <summary>Reads the GitHub Actions variables and, when the event has one, its payload.</summary>
    public static CiGithubContext Read(Func<string, string?> environment)
    {
        string? Env(string name) => environment(name) is { Length: > 0 } v ? v : null;

        var context = new CiGithubContext
        {
            EventName = Env("GITHUB_EVENT_NAME") ?? "",
            Workspace = Env("GITHUB_WORKSPACE"),
            Sha = Env("GITHUB_SHA"),
            Ref = Env("GITHUB_REF"),
            Repository = Env("GITHUB_REPOSITORY"),
            ServerUrl = (Env("GITHUB_SERVER_URL") ?? "https://github.com").TrimEnd('/'),
            StepSummary = Env("GITHUB_STEP_SUMMARY"),
            OutputFile = Env("GITHUB_OUTPUT"),
            RunnerTemp = Env("RUNNER_TEMP"),
        };

        var eventPath = Env("GITHUB_EVENT_PATH");
        if (eventPath is null || context.EventName is not ("pull_request" or "pull_request_target" or "merge_group" or "push"))
        {
            // Other events carry nothing a scan needs: they scan the checked-out tree.
            return context;
        }

        using var payload = ReadPayload(eventPath);
        var root = payload.RootElement;
        return context.EventName switch
        {
            "push" => context with { Push = ReadPush(root, eventPath) },
            "merge_group" => context with { PullRequest = ReadMergeGroup(root, eventPath) },
            _ => context with { PullRequest = ReadPullRequest(root, eventPath) },
        };
    }

    private static JsonDocument ReadPayload(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new UsageException($"GITHUB_EVENT_PATH {path}: not a JSON event payload: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"GITHUB_EVENT_PATH {path}: cannot read the event payload: {e.Message}");
        }
    }

    private static CiPullRequest ReadPullRequest(JsonElement root, string path)
    {
        var pr = Child(root, "pull_request");
        var baseSide = Child(pr, "base");
        var head = Child(pr, "head");
        var baseRepo = Str(Child(baseSide, "repo"), "full_name");
        var headRepo = Str(Child(head, "repo"), "full_name");
        return new CiPullRequest
        {
            Number = Int(pr, "number") ?? 0,
            BaseSha = CommitId(baseSide, "sha", path, "pull_request.base.sha"),
            HeadSha = CommitId(head, "sha", path, "pull_request.head.sha"),
            Commits = Int(pr, "commits"),

            // A deleted fork leaves head.repo null: still not this repository.
            IsFork = headRepo is null || !string.Equals(headRepo, baseRepo, StringComparison.OrdinalIgnoreCase),
        };
    }

    private static CiPullRequest ReadMergeGroup(JsonElement root, string path)
    {
        var group = Child(root, "merge_group");
        return new CiPullRequest
        {
            BaseSha = CommitId(group, "base_sha", path, "merge_group.base_sha"),
            HeadSha = CommitId(group, "head_sha", path, "merge_group.head_sha"),
        };
    }

    private static CiPush ReadPush(JsonElement root, string path) => new()
    {
        Ref = Str(root, "ref") ?? "",
        Before = CommitId(root, "before", path, "before"),
        After = CommitId(root, "after", path, "after"),
        Forced = root.TryGetProperty("forced", out var forced) && forced.ValueKind == JsonValueKind.True,
        Commits = root.TryGetProperty("commits", out var commits) && commits.ValueKind == JsonValueKind.Array ? commits.GetArrayLength() : null,
        DefaultBranch = Str(Child(root, "repository"), "default_branch"),
    };

    private static JsonElement Child(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : default;

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.TryGetInt32(out var i) ? i : null;

    /// <summary>A commit id from the payload; it goes on a git command line, so nothing but hex is accepted.</summary>
    private static string CommitId(JsonElement e, string name, string path, string where)
    {
        var sha = Str(e, name);
        if (sha is null || sha.Length is < 7 or > 64 || !sha.All(Uri.IsHexDigit))
        {
            throw new UsageException($"GITHUB_EVENT_PATH {path}: the event has no commit id at {where}");
        }

        return sha.ToLowerInvariant();
    }
}
