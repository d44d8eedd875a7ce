// The CLI side of revocation: liveness checks into findings, the dry-run plan, confirmation, acting, and what is printed.
using System.Globalization;
using SecretScan.Core;
using SecretScan.Revocation;
using SecretScan.Rules.Yaml;

namespace SecretScan.Cli;

/// <summary>What the user asked for with --verify, --revoke, --yes and --audit-log.</summary>
internal sealed record RevocationRequest
{
    public static readonly RevocationRequest None = new();

    public bool Verify { get; init; }

    public bool Revoke { get; init; }

    /// <summary>Act without asking; without it a run only shows the plan, unless a person at a terminal confirms.</summary>
    public bool Yes { get; init; }

    public string? AuditLog { get; init; }

    public bool IsNone => !Verify && !Revoke;
}

/// <summary>One run's provider session and audit log. Messages go to standard error; the report keeps standard output.</summary>
internal sealed class RevocationRun : IDisposable
{
    private readonly RevocationRequest request;
    private readonly RevocationSession session;
    private readonly string auditPath;
    private readonly Dictionary<string, Verification> verifications = new(StringComparer.Ordinal);
    private AuditLog? audit;

    private RevocationRun(RevocationRequest request, RevocationSettings settings, string auditPath)
    {
        this.request = request;
        this.auditPath = auditPath;
        session = new RevocationSession(settings, audit: null);
    }

    /// <summary>Null when the run neither verifies nor revokes. Checks the revoke section of the config up front.</summary>
    public static RevocationRun? Start(ScanConfig config, RevocationRequest request)
    {
        if (request.IsNone)
        {
            return null;
        }

        return new RevocationRun(request, Settings(config), AuditPath(config, request));
    }

    /// <summary>Checks each distinct secret once (with --verify) and returns the findings with their verification.</summary>
    public IReadOnlyList<Finding> Verify(IReadOnlyList<Finding> findings)
    {
        if (!request.Verify)
        {
            return findings;
        }

        var secrets = LeakedSecret.Group(findings);
        var results = Run(() => session.VerifyAsync(secrets));
        foreach (var result in results.Where(r => r.Verification is not null))
        {
            verifications[result.Secret.SecretHash] = result.Verification!;
        }

        var states = results.GroupBy(r => r.Outcome).Select(g => $"{g.Count()} {ActionResult.Name(g.Key)}");
        Console.Error.WriteLine($"secretscan: verified {results.Count} of {secrets.Count} distinct secrets" +
            (results.Count > 0 ? $" ({string.Join(", ", states)})" : "") + (audit is null ? "" : $"; audit log {audit.Path}"));

        return findings.Select(f => verifications.TryGetValue(f.SecretHash, out var v)
            ? f with
            {
                Verification = v,
                Validation = v.State switch
                {
                    LivenessState.Active => ValidationState.Active,
                    LivenessState.Inactive => ValidationState.Inactive,
                    _ => f.Validation,
                },
            }
            : f).ToArray();
    }

    /// <summary>
    /// With --revoke: shows the plan, then acts with --yes or a confirmation at a terminal. Returns
    /// <see cref="ExitCodes.Error"/> when any revocation or hook failed, else <see cref="ExitCodes.Clean"/>.
    /// </summary>
    public int Revoke(IReadOnlyList<Finding> findings, int unrecovered = 0)
    {
        if (!request.Revoke)
        {
            return ExitCodes.Clean;
        }

        var secrets = LeakedSecret.Group(findings);
        var plan = session.Plan(secrets, verifications);
        var err = Console.Error;
        if (secrets.Count == 0)
        {
            err.WriteLine("secretscan: revoke: no secrets to act on");
            return unrecovered > 0 ? ExitCodes.Error : ExitCodes.Clean;
        }

        err.WriteLine($"secretscan: revocation plan: {Count(secrets.Count, "distinct secret")}, {Count(plan.ActionCount, "action")}");
        foreach (var line in plan.Describe())
        {
            err.WriteLine("  " + line);
        }

        if (plan.ActionCount == 0)
        {
            err.WriteLine("secretscan: revoke: nothing can be revoked automatically; see the plan above");
            return unrecovered > 0 ? ExitCodes.Error : ExitCodes.Clean;
        }

        if (!request.Yes && !Confirm(plan))
        {
            err.WriteLine("secretscan: dry run: nothing was revoked and no hook was called; run again with --yes to act");
            return unrecovered > 0 ? ExitCodes.Error : ExitCodes.Clean;
        }

        var results = Run(() => session.ExecuteAsync(plan, r => err.WriteLine("  " + Describe(r))));
        var failed = results.Count(r => r.IsFailure);
        err.WriteLine($"secretscan: revocation: {results.Count(r => r.IsDone)} done, {failed} failed; audit log {audit?.Path} (head {audit?.Head})");
        return failed > 0 || unrecovered > 0 ? ExitCodes.Error : ExitCodes.Clean;
    }

    public void Dispose()
    {
        session.Dispose();
        audit?.Dispose();
    }

    /// <summary>Maps the config's revoke section onto the engine's settings; a bad provider id is a usage error.</summary>
    internal static RevocationSettings Settings(ScanConfig config)
    {
        var revoke = config.Revoke;
        var urls = new Dictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var (id, url) in revoke.Providers)
        {
            if (!Providers.IsKnown(id))
            {
                throw new UsageException($"{string.Join(", ", config.Files)}: revoke.providers: no provider '{id}' (known: {string.Join(", ", Providers.Ids)})");
            }

            try
            {
                urls[id] = EndpointPolicy.Parse(url, $"revoke.providers.{id}");
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
        }

        var hooks = revoke.Hooks.Select(h =>
        {
            var match = new HookMatch { Rules = h.Rules, Tags = h.Tags };
            return h.Webhook is { } w
                ? (Hook)new WebhookHook(match, new Uri(w.Url), w.SecretEnv, w.IncludeSecret)
                : new CommandHook(match, h.Command!.Argv, h.Command.IncludeSecret, h.Command.Timeout);
        }).ToArray();

        return new RevocationSettings
        {
            ProviderUrls = urls,
            Hooks = hooks,
            ToolVersion = Program.Version,
            Http = HttpPolicy.Default with { Timeout = revoke.Timeout ?? HttpPolicy.Default.Timeout, UserAgent = "SecretScan/" + Program.Version },
        };
    }

    /// <summary>--audit-log, else the config's revoke.audit_log, else a per-user file (never inside the scanned tree).</summary>
    private static string AuditPath(ScanConfig config, RevocationRequest request)
    {
        if ((request.AuditLog ?? config.Revoke.AuditLog) is { } path)
        {
            return Path.GetFullPath(path);
        }

        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return data.Length > 0
            ? Path.Combine(data, "secretscan", "audit.jsonl")
            : throw new UsageException("no place for the audit log: pass --audit-log PATH or set revoke.audit_log in the config");
    }

    private static bool Confirm(RevocationPlan plan)
    {
        // Only a person at a terminal can confirm; piped input (CI, scripts) never says yes by accident.
        if (Console.IsInputRedirected || Console.IsErrorRedirected)
        {
            return false;
        }

        Console.Error.Write($"Revoke and notify now ({Count(plan.ActionCount, "action")}, cannot be undone)? [y/N] ");
        var answer = Console.ReadLine()?.Trim();
        return string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) || string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase);
    }

    private static string Describe(ActionResult r) =>
        $"{ActionResult.Name(r.Outcome),-15} {r.Action,-7} {r.Secret.Rule.Id} {r.Secret.Redacted}  {r.Target}" +
        (r.HttpStatus is { } status ? $"  HTTP {status.ToString(CultureInfo.InvariantCulture)}" : "") +
        (r.Detail.Length > 0 ? "  " + r.Detail : "");

    private static string Count(int n, string what) => $"{n} {what}{(n == 1 ? "" : "s")}";

    /// <summary>Opens the audit log on first use, so a dry run leaves no file behind, then runs the action.</summary>
    private IReadOnlyList<ActionResult> Run(Func<Task<IReadOnlyList<ActionResult>>> action)
    {
        if (audit is null)
        {
            try
            {
                audit = AuditLog.Open(auditPath, Program.Version);
            }
            catch (AuditLogException e)
            {
                throw new UsageException(e.Message);
            }

            session.Audit = audit;
        }

        try
        {
            return action().GetAwaiter().GetResult();
        }
        catch (AuditLogException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
