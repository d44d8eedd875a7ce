// The repository's .pre-commit-hooks.yaml driven by the real pre-commit framework (Debian's `pre-commit`), with the
// secretscan tool installed from the locally packed package: a commit that adds a fake secret is refused, a clean
// one goes through, and the hook's output never shows the secret.
namespace SecretScan.Packaging.Tests;

[Collection(PackagingCollection.Name)]
public sealed class PreCommitFrameworkTests(PackedPackages packages) : IDisposable
{
    private readonly string root = Tools.NewTempFolder("pre-commit");

    [Fact]
    public void HookFromThisRepository_RefusesACommitWithASecretAndAcceptsACleanOne()
    {
        var preCommit = FindPreCommit();

        // A hooks repository holding exactly this repository's .pre-commit-hooks.yaml, as pre-commit would clone it.
        var hooks = Path.Combine(root, "hooks");
        Directory.CreateDirectory(hooks);
        File.Copy(Path.Combine(Tools.RepoRoot, ".pre-commit-hooks.yaml"), Path.Combine(hooks, ".pre-commit-hooks.yaml"));
        Git(hooks, "init", "--quiet");
        Git(hooks, "add", ".");
        Git(hooks, "commit", "--quiet", "-m", "hooks");
        var rev = Git(hooks, "rev-parse", "HEAD").StdOut.Trim();

        var project = Path.Combine(root, "project");
        Directory.CreateDirectory(project);
        Git(project, "init", "--quiet");
        File.WriteAllText(Path.Combine(project, ".pre-commit-config.yaml"), $"""
            repos:
              - repo: {hooks}
                rev: {rev}
                hooks:
                  - id: secretscan
            """);
        Git(project, "add", ".");
        Git(project, "commit", "--quiet", "-m", "config");
        var install = Tools.Run(preCommit, project, Environment(), "install");
        Assert.True(install.ExitCode == 0, Tools.Describe(install));

        File.WriteAllText(Path.Combine(project, "deploy.sh"), $"#!/bin/sh\nexport GITHUB_TOKEN={packages.FakeToken}\n");
        Git(project, "add", "deploy.sh");
        var refused = Tools.Run("git", project, Environment(), "commit", "-m", "add deploy script");
        Assert.True(refused.ExitCode != 0, "the commit with a secret went through:\n" + Tools.Describe(refused));
        Assert.Contains("deploy.sh:2", refused.All, StringComparison.Ordinal);
        Assert.DoesNotContain(packages.FakeToken, refused.All, StringComparison.Ordinal);
        Assert.Single(Git(project, "rev-list", "HEAD").StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        File.WriteAllText(Path.Combine(project, "deploy.sh"), "#!/bin/sh\nexport GITHUB_TOKEN=\"$(cat /run/secrets/github)\"\n");
        Git(project, "add", "deploy.sh");
        var accepted = Tools.Run("git", project, Environment(), "commit", "-m", "add deploy script");
        Assert.True(accepted.ExitCode == 0, "the clean commit was refused:\n" + Tools.Describe(accepted));
        Assert.Contains("secretscan", accepted.All, StringComparison.Ordinal);
        Assert.Equal(2, Git(project, "rev-list", "HEAD").StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    public void Dispose() => Tools.DeleteFolder(root);

    private Dictionary<string, string> Environment() => new(packages.Environment)
    {
        ["PATH"] = packages.ToolDirectory + Path.PathSeparator + System.Environment.GetEnvironmentVariable("PATH"),
        ["PRE_COMMIT_HOME"] = Path.Combine(root, "pre-commit-home"),
        ["GIT_AUTHOR_NAME"] = "Test",
        ["GIT_AUTHOR_EMAIL"] = "test@example.invalid",
        ["GIT_COMMITTER_NAME"] = "Test",
        ["GIT_COMMITTER_EMAIL"] = "test@example.invalid",
    };

    private ToolResult Git(string directory, params string[] args) => Tools.MustRun("git", directory, Environment(), args);

    /// <summary>`.ci/run` installs Debian's pre-commit; without it this test cannot prove anything, so it fails.</summary>
    private static string FindPreCommit()
    {
        foreach (var dir in (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, "pre-commit");
            if (dir.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("pre-commit is not installed (apt-get install pre-commit; .ci/run does this)");
    }
}
