// The .pre-commit-hooks.yaml at the repository root: a manifest the pre-commit framework accepts, whose entry scans
// staged changes with redaction on and blocks a commit that adds a secret.
using YamlDotNet.RepresentationModel;

namespace SecretScan.Git.Tests;

public class PreCommitFrameworkTests
{
    [Fact]
    public void Manifest_hook_scans_staged_changes_redacted_and_fails_on_a_secret()
    {
        var manifest = Path.Combine(RepositoryRoot(), ".pre-commit-hooks.yaml");
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(manifest)));
        var hook = (YamlMappingNode)((YamlSequenceNode)yaml.Documents[0].RootNode).Children.Single();
        string Field(string name) => ((YamlScalarNode)hook.Children[new YamlScalarNode(name)]).Value!;

        Assert.Equal("secretscan", Field("id"));
        Assert.Equal("false", Field("pass_filenames"));
        var entry = Field("entry").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("secretscan", entry[0]);
        Assert.Contains("--staged", entry);
        Assert.DoesNotContain("--no-redact", entry);
        Assert.False(string.IsNullOrWhiteSpace(Field("name")));
        Assert.False(string.IsNullOrWhiteSpace(Field("language")));

        // What pre-commit would run, from the repository root, with a secret staged.
        using var repo = new TestRepo();
        repo.Write("a.txt", "a\n");
        repo.Commit("a");
        var secret = Fakes.GitHubToken();
        repo.Write("a.txt", "a\ntoken: " + secret + "\n");
        repo.Git("add", "a.txt");
        var run = CliRun.Run(repo.Path, entry.Skip(1).ToArray());
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("a.txt:2", run.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, run.StdOut + run.StdErr, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SecretScan.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SecretScan.sln not found above the test folder");
    }
}
