// The revocation flags of `scan`, and the `revoke --from REPORT` and `audit verify FILE` commands.
using System.CommandLine;
using SecretScan.Core;
using SecretScan.Revocation;

namespace SecretScan.Cli;

/// <summary>--verify, --revoke, --yes and --audit-log, defined once and shared by `scan` and `revoke`.</summary>
internal sealed class RevocationOptions
{
    private readonly Option<bool> verify = new("--verify") { Description = "Check with the provider whether each secret is still active, and its scopes (calls GitHub, GitLab, Slack; never by default)." };
    private readonly Option<bool> revoke = new("--revoke") { Description = "Show what would be revoked and which hooks would run (a dry run); with --yes, or a confirmation at a terminal, do it." };
    private readonly Option<bool> yes = new("--yes", "-y") { Description = "With --revoke: act without asking." };
    private readonly Option<string?> auditLog = new("--audit-log") { Description = "Audit log file (default: revoke.audit_log in the config, else a per-user file)." };

    /// <summary>Adds the options to <paramref name="command"/>; <paramref name="withRevoke"/> false for commands that always revoke.</summary>
    public static RevocationOptions AddTo(Command command, bool withRevoke = true)
    {
        var options = new RevocationOptions();
        command.Options.Add(options.verify);
        if (withRevoke)
        {
            command.Options.Add(options.revoke);
        }

        command.Options.Add(options.yes);
        command.Options.Add(options.auditLog);
        return options;
    }

    public RevocationRequest Read(ParseResult parse, bool revokeAlways = false)
    {
        var request = new RevocationRequest
        {
            Verify = parse.GetValue(verify),
            Revoke = revokeAlways || parse.GetValue(revoke),
            Yes = parse.GetValue(yes),
            AuditLog = parse.GetValue(auditLog),
        };
        if (request.Yes && !request.Revoke)
        {
            throw new UsageException("--yes only confirms --revoke; add --revoke");
        }

        return request;
    }
}

internal static class RevokeCommands
{
    public static Command BuildRevoke()
    {
        var from = new Option<string>("--from") { Description = "A JSON or SARIF report written by `secretscan scan`.", Required = true };
        var root = new Option<string?>("--root") { Description = "Folder the report's paths are relative to (default: the SARIF scan root, else the current folder)." };
        var config = new Option<string?>("--config", "-c") { Description = "Config file; overrides .secretscan.yaml at the root." };
        var rules = new Option<string?>("--rules") { Description = "Rule file or folder to use instead of the built-in rules." };
        var command = new Command(
            "revoke",
            "Revoke the secrets of a report. Reports hold no secrets, so each one is read again from the file (or commit) the report names and acted on only when its hash matches the report. Without --yes this is a dry run.")
        {
            from, root, config, rules,
        };
        var revocation = RevocationOptions.AddTo(command, withRevoke: false);
        command.SetAction(parse =>
        {
            var request = revocation.Read(parse, revokeAlways: true);
            var reportPath = parse.GetValue(from)!;
            var (reported, sarifRoot) = ReportFindings.Read(reportPath);
            var scanRoot = Path.GetFullPath(parse.GetValue(root) ?? (sarifRoot is not null && Directory.Exists(sarifRoot) ? sarifRoot : "."));
            var cfg = ScanSettings.LoadConfig(scanRoot, parse.GetValue(config));
            var byId = RuleCatalog.Resolve(cfg, parse.GetValue(rules)).GroupBy(r => r.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

            var findings = new List<Finding>();
            var unrecovered = 0;
            foreach (var entry in reported)
            {
                if (!byId.TryGetValue(entry.RuleId, out var rule))
                {
                    Console.Error.WriteLine($"secretscan: revoke: {entry.Where}: rule {entry.RuleId} is not among this run's rules; skipped");
                    unrecovered++;
                    continue;
                }

                var secret = ReportFindings.Recover(entry, rule, scanRoot);
                if (secret is null)
                {
                    Console.Error.WriteLine($"secretscan: revoke: {entry.Where}: the secret of {entry.RuleId} is no longer there (no value with the report's secret hash); re-scan, or pass --root");
                    unrecovered++;
                    continue;
                }

                findings.Add(new Finding
                {
                    Rule = rule,
                    Path = entry.Path,
                    Line = entry.Line,
                    Column = entry.Column,
                    EndLine = entry.EndLine,
                    EndColumn = entry.EndColumn,
                    Secret = secret,
                    Redacted = SecretIdentity.Redact(secret),
                    SecretHash = entry.SecretHash,
                    Fingerprint = entry.Fingerprint.Length > 0 ? entry.Fingerprint : SecretIdentity.Fingerprint(rule.Id, entry.SecretHash, entry.Path),
                    Commit = entry.Commit,
                });
            }

            Console.Error.WriteLine($"secretscan: revoke: {findings.Count} of {reported.Count} findings of {reportPath} recovered");
            using var run = RevocationRun.Start(cfg, request)!;
            var verified = run.Verify(findings);
            return run.Revoke(verified, unrecovered);
        });
        return command;
    }

    public static Command BuildAudit()
    {
        var file = new Argument<string>("file") { Description = "The audit log (JSON lines)." };
        var head = new Option<string?>("--expect-head") { Description = "A head hash recorded earlier: fail if that entry is gone (catches lines cut from the end)." };
        var verify = new Command("verify", "Check an audit log's hash chain: exit 0 when intact, 1 when any line was edited, removed, inserted or reordered.") { file, head };
        verify.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            AuditVerification result;
            try
            {
                result = AuditLogVerifier.Verify(path, parse.GetValue(head));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"{path}: cannot read the audit log: {e.Message}");
            }

            if (result.IsIntact)
            {
                Console.Out.WriteLine($"{path}: intact, {result.Entries} entries, head {result.Head}");
                return ExitCodes.Clean;
            }

            foreach (var problem in result.Problems)
            {
                Console.Out.WriteLine($"{path}: {problem}");
            }

            Console.Out.WriteLine($"{path}: TAMPERED or damaged ({result.Problems.Count} problems in {result.Entries} entries)");
            return ExitCodes.Findings;
        });
        return new Command("audit", "Work with the revocation audit log.") { verify };
    }
}
