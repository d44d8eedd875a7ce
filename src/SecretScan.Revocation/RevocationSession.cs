// One run's revocation work: plan what would happen, check liveness, act; every call lands in the audit log.
using SecretScan.Core;

namespace SecretScan.Revocation;

/// <summary>How a run reaches providers and hooks.</summary>
public sealed record RevocationSettings
{
    /// <summary>Base URLs that replace the public ones (GitHub Enterprise, self-managed GitLab, test servers), by provider id.</summary>
    public IReadOnlyDictionary<string, Uri> ProviderUrls { get; init; } = new Dictionary<string, Uri>();

    public HttpPolicy Http { get; init; } = HttpPolicy.Default;

    public IReadOnlyList<Hook> Hooks { get; init; } = Array.Empty<Hook>();

    public string ToolVersion { get; init; } = "0.0.0";

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Reads the webhook signing keys; replaceable in tests.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
}

/// <summary>What a run would do for one secret.</summary>
public sealed record PlannedSecret
{
    public required LeakedSecret Secret { get; init; }

    /// <summary>The built-in revoker, when the rule names one this tool has.</summary>
    public Provider? Provider { get; init; }

    /// <summary>The revoker id a rule names that no built-in provider has, for the plan to say so.</summary>
    public string? UnknownRevoker { get; init; }

    public IReadOnlyList<Hook> Hooks { get; init; } = Array.Empty<Hook>();

    /// <summary>The liveness check's answer, when this run made one: an inactive secret needs no revocation call.</summary>
    public Verification? Verification { get; init; }

    public bool HasAction => Provider is not null || Hooks.Count > 0;
}

/// <summary>The dry run's content and the input of <see cref="RevocationSession.ExecuteAsync"/>.</summary>
public sealed record RevocationPlan(IReadOnlyList<PlannedSecret> Items)
{
    public int ActionCount => Items.Sum(i => (i.Provider is null ? 0 : 1) + i.Hooks.Count);

    /// <summary>One line per secret: rule, redacted secret, where, and what would be called (never the secret).</summary>
    public IEnumerable<string> Describe()
    {
        foreach (var item in Items)
        {
            var steps = new List<string>();
            if (item.Provider is not null)
            {
                steps.Add(item.Verification?.State == LivenessState.Inactive
                    ? $"{item.Provider.Id}: nothing to do, the liveness check found it inactive"
                    : $"{item.Provider.Id}: {item.Provider.RevokeTarget}");
            }
            else if (item.UnknownRevoker is not null)
            {
                steps.Add($"revoker '{item.UnknownRevoker}' is not built in (known: {string.Join(", ", Providers.Ids)})");
            }

            foreach (var hook in item.Hooks)
            {
                steps.Add($"{hook.Kind} {hook.Target}" + (hook.IncludesSecret ? " (with the secret)" : ""));
            }

            if (!item.HasAction)
            {
                steps.Add("no revoker or hook: revoke it by hand, or add a hook under revoke.hooks in .secretscan.yaml");
            }

            var secret = item.Secret;
            yield return $"{secret.Rule.Id} {secret.Rule.Name}  {secret.Redacted}  {secret.Where}  -> {string.Join("; ", steps)}";
        }
    }
}

public sealed class RevocationSession : IDisposable
{
    private readonly RevocationSettings settings;
    private readonly HttpGateway http;
    private readonly Dictionary<string, Provider> providers = new(StringComparer.Ordinal);

    // Secret hash + target of every revocation or hook call already made, so a run never repeats one.
    private readonly HashSet<string> done = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ActionResult> verified = new(StringComparer.Ordinal);

    public RevocationSession(RevocationSettings settings, AuditLog? audit, HttpMessageHandler? handler = null)
    {
        this.settings = settings;
        Audit = audit;
        http = new HttpGateway(settings.Http, settings.Time, handler);
    }

    /// <summary>Where every action is recorded; may be set late (a dry run needs none), but before the first action.</summary>
    public AuditLog? Audit { get; set; }

    /// <summary>The provider for <paramref name="id"/>, one instance per run (so GitHub's hourly budget is shared).</summary>
    public Provider? Provider(string id)
    {
        if (!providers.TryGetValue(id, out var provider))
        {
            settings.ProviderUrls.TryGetValue(id, out var url);
            provider = Providers.Create(id, http, url, settings.Time);
            if (provider is null)
            {
                return null;
            }

            providers[id] = provider;
        }

        return provider;
    }

    public RevocationPlan Plan(IReadOnlyList<LeakedSecret> secrets, IReadOnlyDictionary<string, Verification>? verifications = null) =>
        new(secrets.Select(s => new PlannedSecret
        {
            Secret = s,
            Provider = s.RevokerId is { } id ? Provider(id) : null,
            UnknownRevoker = s.RevokerId is { } unknown && !Providers.IsKnown(unknown) ? unknown : null,
            Hooks = settings.Hooks.Where(h => h.Match.Matches(s)).ToArray(),
            Verification = verifications is not null && verifications.TryGetValue(s.SecretHash, out var v) ? v : null,
        }).ToArray());

    /// <summary>
    /// Checks each distinct secret whose rule names a provider, once per run (a second call answers from memory).
    /// </summary>
    public async Task<IReadOnlyList<ActionResult>> VerifyAsync(IReadOnlyList<LeakedSecret> secrets, Action<ActionResult>? progress = null, CancellationToken cancel = default)
    {
        var results = new List<ActionResult>();
        foreach (var secret in secrets)
        {
            if (verified.TryGetValue(secret.SecretHash, out var known))
            {
                results.Add(known);
                continue;
            }

            if (secret.RevokerId is not { } id || Provider(id) is not { } provider)
            {
                continue;
            }

            var result = await provider.VerifyAsync(secret, cancel).ConfigureAwait(false);
            verified[secret.SecretHash] = result;
            Record(result, progress);
            results.Add(result);
        }

        return results;
    }

    /// <summary>
    /// Revokes through each secret's provider (batched where the provider allows), then calls the matching hooks.
    /// Each result is in the audit log before the next call starts.
    /// </summary>
    public async Task<IReadOnlyList<ActionResult>> ExecuteAsync(RevocationPlan plan, Action<ActionResult>? progress = null, CancellationToken cancel = default)
    {
        var results = new List<ActionResult>();
        foreach (var group in plan.Items.Where(i => i.Provider is not null).GroupBy(i => i.Provider!))
        {
            var pending = new List<LeakedSecret>();
            foreach (var item in group)
            {
                if (!done.Add(item.Secret.SecretHash + "\0revoke"))
                {
                    continue;
                }

                if (item.Verification?.State == LivenessState.Inactive)
                {
                    var result = new ActionResult
                    {
                        Secret = item.Secret,
                        Action = ActionKind.Revoke,
                        Target = group.Key.Id,
                        Outcome = Outcome.AlreadyRevoked,
                        Detail = "the liveness check found it inactive; no revocation call made",
                    };
                    Record(result, progress);
                    results.Add(result);
                }
                else
                {
                    pending.Add(item.Secret);
                }
            }

            if (pending.Count > 0)
            {
                await foreach (var result in group.Key.RevokeAsync(pending, cancel).ConfigureAwait(false))
                {
                    Record(result, progress);
                    results.Add(result);
                }
            }
        }

        var context = new HookContext { Http = http, ToolVersion = settings.ToolVersion, Time = settings.Time, Environment = settings.Environment };
        foreach (var item in plan.Items)
        {
            foreach (var hook in item.Hooks)
            {
                if (!done.Add(item.Secret.SecretHash + "\0" + hook.Kind + "\0" + hook.Target))
                {
                    continue;
                }

                var result = await hook.RunAsync(item.Secret, context, cancel).ConfigureAwait(false);
                Record(result, progress);
                results.Add(result);
            }
        }

        return results;
    }

    public void Dispose() => http.Dispose();

    private void Record(ActionResult result, Action<ActionResult>? progress)
    {
        Audit?.Append(result);
        progress?.Invoke(result);
    }
}
