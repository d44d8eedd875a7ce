// The `revoke:` section of a config: audit log path, provider base URLs, HTTP timeout, and hooks by rule or tag.
using YamlDotNet.RepresentationModel;

namespace SecretScan.Rules.Yaml;

public sealed record RevokeConfig
{
    public static readonly RevokeConfig Empty = new();

    /// <summary>Absolute path of the audit log (a relative path in the file is relative to the config file).</summary>
    public string? AuditLog { get; init; }

    /// <summary>Base URLs by provider id, replacing the public APIs (GitHub Enterprise, self-managed GitLab, test servers).</summary>
    public IReadOnlyDictionary<string, string> Providers { get; init; } = new Dictionary<string, string>();

    /// <summary>Per-attempt timeout of every HTTP call.</summary>
    public TimeSpan? Timeout { get; init; }

    public IReadOnlyList<HookConfig> Hooks { get; init; } = Array.Empty<HookConfig>();

    /// <summary>Hooks add up; the audit log, timeout and each provider URL of the higher-precedence config win.</summary>
    public RevokeConfig Merge(RevokeConfig over)
    {
        var providers = new Dictionary<string, string>(Providers, StringComparer.Ordinal);
        foreach (var (id, url) in over.Providers)
        {
            providers[id] = url;
        }

        return new RevokeConfig
        {
            AuditLog = over.AuditLog ?? AuditLog,
            Providers = providers,
            Timeout = over.Timeout ?? Timeout,
            Hooks = Hooks.Concat(over.Hooks).ToArray(),
        };
    }
}

/// <summary>One hook: which findings it takes (rule ids or names, "*" for all, or tags) and exactly one of webhook or command.</summary>
public sealed record HookConfig
{
    public IReadOnlyList<string> Rules { get; init; } = Array.Empty<string>();

    public IReadOnlyList<string> Tags { get; init; } = Array.Empty<string>();

    public WebhookConfig? Webhook { get; init; }

    public CommandConfig? Command { get; init; }

    /// <summary>file:line of the hook, for messages.</summary>
    public string Source { get; init; } = "";
}

/// <summary>An HTTPS endpoint; the HMAC key is read from the environment variable <see cref="SecretEnv"/>, never from the file.</summary>
public sealed record WebhookConfig(string Url, string SecretEnv, bool IncludeSecret);

/// <summary>A program and its arguments, run without a shell; the event (with the secret unless IncludeSecret is false) on standard input.</summary>
public sealed record CommandConfig(IReadOnlyList<string> Argv, bool IncludeSecret, TimeSpan? Timeout);

internal static class RevokeConfigParser
{
    private static readonly string[] Keys = { "audit_log", "providers", "timeout_ms", "hooks" };
    private static readonly string[] HookKeys = { "rules", "tags", "webhook", "command" };
    private static readonly string[] WebhookKeys = { "url", "secret_env", "include_secret" };
    private static readonly string[] CommandKeys = { "argv", "include_secret", "timeout_ms" };

    public static RevokeConfig Parse(YamlReader y, YamlNode node)
    {
        var config = new RevokeConfig();
        foreach (var pair in y.Mapping(node, "revoke").Children)
        {
            var key = y.String(pair.Key, "a revoke key");
            var v = pair.Value;
            config = key switch
            {
                "audit_log" => config with { AuditLog = RelativeToConfig(y.File, y.FilePath(v, "revoke.audit_log")) },
                "providers" => config with { Providers = ParseProviders(y, v) },
                "timeout_ms" => config with { Timeout = TimeSpan.FromMilliseconds(Positive(y, v, "revoke.timeout_ms")) },
                "hooks" => config with { Hooks = y.Sequence(v, "revoke.hooks").Children.Select(h => ParseHook(y, h)).ToArray() },
                _ => throw Unknown(y, pair.Key, key, "revoke", Keys),
            };
        }

        return config;
    }

    private static IReadOnlyDictionary<string, string> ParseProviders(YamlReader y, YamlNode node)
    {
        var providers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in y.Mapping(node, "revoke.providers").Children)
        {
            var id = y.String(pair.Key, "a provider id");
            var url = y.String(pair.Value, $"revoke.providers.{id}");
            CheckUrl(y, pair.Value, url, $"revoke.providers.{id}");
            providers[id] = url;
        }

        return providers;
    }

    private static HookConfig ParseHook(YamlReader y, YamlNode node)
    {
        var hook = new HookConfig { Source = $"{y.File}:{node.Start.Line}" };
        foreach (var pair in y.Mapping(node, "a hook").Children)
        {
            var key = y.String(pair.Key, "a hook key");
            var v = pair.Value;
            hook = key switch
            {
                "rules" => hook with { Rules = y.Strings(v, "hook rules") },
                "tags" => hook with { Tags = y.Strings(v, "hook tags") },
                "webhook" => hook with { Webhook = ParseWebhook(y, v) },
                "command" => hook with { Command = ParseCommand(y, v) },
                _ => throw Unknown(y, pair.Key, key, "a hook", HookKeys),
            };
        }

        if ((hook.Webhook is null) == (hook.Command is null))
        {
            throw ConfigException.At(y.File, node, "a hook needs exactly one of 'webhook' or 'command'");
        }

        if (hook.Rules.Count == 0 && hook.Tags.Count == 0)
        {
            throw ConfigException.At(y.File, node, "a hook needs 'rules' (ids or names, or \"*\") or 'tags' to say which findings it takes");
        }

        return hook;
    }

    private static WebhookConfig ParseWebhook(YamlReader y, YamlNode node)
    {
        string? url = null, secretEnv = null;
        var includeSecret = false;
        foreach (var pair in y.Mapping(node, "webhook").Children)
        {
            var key = y.String(pair.Key, "a webhook key");
            switch (key)
            {
                case "url":
                    url = y.String(pair.Value, "webhook.url");
                    CheckUrl(y, pair.Value, url, "webhook.url");
                    break;
                case "secret_env":
                    secretEnv = y.String(pair.Value, "webhook.secret_env");
                    break;
                case "include_secret":
                    includeSecret = y.Bool(pair.Value, "webhook.include_secret");
                    break;
                default:
                    throw Unknown(y, pair.Key, key, "webhook", WebhookKeys);
            }
        }

        if (url is null)
        {
            throw ConfigException.At(y.File, node, "webhook needs 'url'");
        }

        if (string.IsNullOrWhiteSpace(secretEnv))
        {
            throw ConfigException.At(y.File, node, "webhook needs 'secret_env': the environment variable holding its HMAC signing key (unsigned webhooks are not sent)");
        }

        return new WebhookConfig(url, secretEnv, includeSecret);
    }

    private static CommandConfig ParseCommand(YamlReader y, YamlNode node)
    {
        IReadOnlyList<string>? argv = null;
        var includeSecret = true;
        TimeSpan? timeout = null;
        foreach (var pair in y.Mapping(node, "command").Children)
        {
            var key = y.String(pair.Key, "a command key");
            switch (key)
            {
                case "argv":
                    argv = y.Sequence(pair.Value, "command.argv").Children.Select(c => y.String(c, "command.argv item")).ToArray();
                    break;
                case "include_secret":
                    includeSecret = y.Bool(pair.Value, "command.include_secret");
                    break;
                case "timeout_ms":
                    timeout = TimeSpan.FromMilliseconds(Positive(y, pair.Value, "command.timeout_ms"));
                    break;
                default:
                    throw Unknown(y, pair.Key, key, "command", CommandKeys);
            }
        }

        if (argv is null || argv.Count == 0 || string.IsNullOrEmpty(argv[0]))
        {
            throw ConfigException.At(y.File, node, "command needs 'argv': a list whose first item is the program (it runs without a shell)");
        }

        return new CommandConfig(argv, includeSecret, timeout);
    }

    /// <summary>https anywhere, http only to loopback: the same rule the HTTP client enforces, reported here with the line.</summary>
    private static void CheckUrl(YamlReader y, YamlNode node, string text, string what)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw ConfigException.At(y.File, node, $"{what} must be an https:// URL, not '{text}'");
        }

        var loopback = uri.IsLoopback && (uri.IdnHost == "localhost" || System.Net.IPAddress.TryParse(uri.IdnHost, out _));
        if (uri.Scheme == Uri.UriSchemeHttp && !loopback)
        {
            throw ConfigException.At(y.File, node, $"{what}: plain http:// is refused for '{uri.Host}' (secrets would cross the network unencrypted); use https://, http is allowed only for loopback");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw ConfigException.At(y.File, node, $"{what}: no credentials in the URL; a webhook signs with the key named by secret_env");
        }
    }

    private static int Positive(YamlReader y, YamlNode node, string what)
    {
        var n = y.Int(node, what);
        return n > 0 ? n : throw ConfigException.At(y.File, node, $"{what} must be a positive number of milliseconds");
    }

    private static string RelativeToConfig(string configFile, string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configFile)) ?? ".", path));

    private static ConfigException Unknown(YamlReader y, YamlNode keyNode, string key, string where, string[] known) =>
        ConfigException.At(y.File, keyNode, $"unknown key {ConfigException.Quote(key)} in {where} (known: {string.Join(", ", known)})");
}
