// Checks on whole findings that the rule model cannot express, applied by the CLI after a scan (gitleaks allowlists).
using SecretScan.Core;

namespace SecretScan.Rules.Yaml;

/// <summary>
/// Decides whether a finding is dropped. The engine's allowlists see one match while it is found; these see the finding
/// as reported, with its path and (in history scans) the commit that introduced it, which commit allowlists need.
/// </summary>
public interface IFindingSuppression
{
    bool Suppresses(Finding finding);
}
