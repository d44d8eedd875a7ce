// SourceLink: built from a GitHub clone, every assembly maps its sources to raw.githubusercontent.com at the commit.
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;

namespace SecretScan.Packaging.Tests;

public sealed class SourceLinkTests
{
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    [Fact]
    public void BuildFromAGitHubClone_EmbedsSourceLinkToTheCommit()
    {
        // A clone whose origin is the GitHub repository, as on a release runner; the working tree's own origin may be
        // anything (CI clones from a local path), which SourceLink cannot map.
        var clone = Tools.NewTempFolder("sourcelink");
        try
        {
            Tools.Git(Path.GetTempPath(), "clone", "--quiet", Tools.RepoRoot, clone);
            Tools.Git(clone, "remote", "set-url", "origin", "https://github.com/secretscan/secretscan.git");
            var commit = Tools.Git(clone, "rev-parse", "HEAD").StdOut.Trim();
            Tools.MustRun("dotnet", clone, null, "build", "src/SecretScan.Core", "-c", "Release", "-f", "netstandard2.0", "--nologo", "-v", "q");

            var dll = Path.Combine(clone, "src/SecretScan.Core/bin/Release/netstandard2.0/SecretScan.Core.dll");
            var sourceLink = ReadSourceLink(dll);
            Assert.Contains($"https://raw.githubusercontent.com/secretscan/secretscan/{commit}/*", sourceLink, StringComparison.Ordinal);
        }
        finally
        {
            Tools.DeleteFolder(clone);
        }
    }

    private static string ReadSourceLink(string dll)
    {
        using var pe = new PEReader(File.OpenRead(dll));
        var embedded = pe.ReadDebugDirectory().Single(d => d.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
        using var provider = pe.ReadEmbeddedPortablePdbDebugDirectoryData(embedded);
        var pdb = provider.GetMetadataReader();
        foreach (var handle in pdb.CustomDebugInformation)
        {
            var info = pdb.GetCustomDebugInformation(handle);
            if (pdb.GetGuid(info.Kind) == SourceLinkKind)
            {
                return Encoding.UTF8.GetString(pdb.GetBlobBytes(info.Value));
            }
        }

        throw new InvalidOperationException(dll + " has no SourceLink information");
    }
}
