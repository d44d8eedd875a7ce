// The packed dotnet tool and analyzer package: metadata, contents, the README's install commands, and both packages
// doing their job after a clean install.
using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace SecretScan.Packaging.Tests;

[CollectionDefinition(Name)]
public sealed class PackagingCollection : ICollectionFixture<PackedPackages>
{
    public const string Name = "packed packages";
}

[Collection(PackagingCollection.Name)]
public sealed class PackageTests(PackedPackages packages)
{
    [Fact]
    public void ReadmeInstallCommands_SucceedAgainstTheLocallyPackedPackages()
    {
        Assert.Contains(packages.InstallCommands, c => c.Contains("dotnet tool install", StringComparison.Ordinal));
        Assert.Contains(packages.InstallCommands, c => c.Contains("dotnet add package SecretScan.Analyzers", StringComparison.Ordinal));
        for (var i = 0; i < packages.InstallCommands.Count; i++)
        {
            Assert.True(packages.InstallResults[i].ExitCode == 0,
                $"`{packages.InstallCommands[i]}` failed:\n{Tools.Describe(packages.InstallResults[i])}");
        }

        Assert.True(File.Exists(packages.ToolCommand), "the global tool install did not create " + packages.ToolCommand);
    }

    [Fact]
    public void InstalledTool_ReportsItsVersionAndFindsARedactedSecret()
    {
        var version = Tools.MustRun(packages.ToolCommand, packages.Root, packages.Environment, "--version");
        Assert.StartsWith(packages.Version, version.StdOut.Trim(), StringComparison.Ordinal);

        var folder = Tools.NewTempFolder("tool-scan");
        try
        {
            File.WriteAllText(Path.Combine(folder, "deploy.sh"), $"export GITHUB_TOKEN={packages.FakeToken}\n");
            File.WriteAllText(Path.Combine(folder, "clean.txt"), "nothing to see here\n");
            var scan = Tools.Run(packages.ToolCommand, folder, packages.Environment, "scan", ".", "--no-progress");
            Assert.True(scan.ExitCode == 1, Tools.Describe(scan));
            Assert.Contains("deploy.sh:1", scan.StdOut, StringComparison.Ordinal);
            Assert.DoesNotContain(packages.FakeToken, scan.All, StringComparison.Ordinal);

            File.Delete(Path.Combine(folder, "deploy.sh"));
            var clean = Tools.Run(packages.ToolCommand, folder, packages.Environment, "scan", ".", "--no-progress");
            Assert.True(clean.ExitCode == 0, Tools.Describe(clean));
        }
        finally
        {
            Tools.DeleteFolder(folder);
        }
    }

    [Fact]
    public void AnalyzerPackage_WarnsOnAHardCodedTokenInAConsumerBuild()
    {
        var build = Tools.Run("dotnet", packages.Consumer, packages.Environment, "build", "--nologo", "-v", "q");
        Assert.True(build.ExitCode == 0, Tools.Describe(build));
        var warning = build.StdOut.Split('\n').FirstOrDefault(l => l.Contains("Settings.cs(5,", StringComparison.Ordinal)
                                                                  && l.Contains("warning SS", StringComparison.Ordinal));
        Assert.True(warning is not null, "no SecretScan warning on Settings.cs line 5:\n" + build.StdOut);
        Assert.DoesNotContain(packages.FakeToken, build.All, StringComparison.Ordinal);
    }

    [Fact]
    public void ToolPackage_HasMetadataReadmeAndSourceInformation()
    {
        using var package = ZipFile.OpenRead(packages.PackagePath("SecretScan.Tool"));
        var metadata = Metadata(package);
        AssertCommonMetadata(metadata, "SecretScan.Tool");
        Assert.Equal("DotnetTool", metadata.Element(Ns(metadata) + "packageTypes")?.Element(Ns(metadata) + "packageType")?.Attribute("name")?.Value);
        Assert.NotNull(package.GetEntry("tools/net10.0/any/DotnetToolSettings.xml"));

        // Debug information travels inside each of our assemblies, so stack traces and debuggers work from the package.
        foreach (var name in new[] { "secretscan.dll", "SecretScan.Core.dll", "SecretScan.Git.dll" })
        {
            var entry = package.GetEntry("tools/net10.0/any/" + name);
            Assert.True(entry is not null, name + " is missing from the tool package");
            Assert.True(HasEmbeddedPdb(entry!), name + " has no embedded PDB");
        }
    }

    [Fact]
    public void AnalyzerPackage_HasMetadataAndOnlyOurThreeAnalyzerAssemblies()
    {
        using var package = ZipFile.OpenRead(packages.PackagePath("SecretScan.Analyzers"));
        var metadata = Metadata(package);
        AssertCommonMetadata(metadata, "SecretScan.Analyzers");
        Assert.Equal("true", metadata.Element(Ns(metadata) + "developmentDependency")?.Value);
        var analyzers = package.Entries.Where(e => e.FullName.StartsWith("analyzers/", StringComparison.Ordinal))
            .Select(e => e.FullName).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.Equal(
            new[]
            {
                "analyzers/dotnet/cs/SecretScan.Analyzers.CodeFixes.dll",
                "analyzers/dotnet/cs/SecretScan.Analyzers.dll",
                "analyzers/dotnet/cs/SecretScan.Core.dll",
            },
            analyzers);
    }

    private void AssertCommonMetadata(XElement metadata, string id)
    {
        var ns = Ns(metadata);
        Assert.Equal(id, metadata.Element(ns + "id")?.Value);
        Assert.Equal(packages.Version, metadata.Element(ns + "version")?.Value);
        Assert.Equal("MIT", metadata.Element(ns + "license")?.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")?.Value);
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")?.Value));
        Assert.Null(metadata.Element(ns + "icon"));
        var repository = metadata.Element(ns + "repository");
        Assert.NotNull(repository);
        Assert.Equal("git", repository!.Attribute("type")?.Value);
        Assert.StartsWith("https://github.com/", repository.Attribute("url")?.Value, StringComparison.Ordinal);
        var head = Tools.Git(Tools.RepoRoot, "rev-parse", "HEAD").StdOut.Trim();
        Assert.Equal(head, repository.Attribute("commit")?.Value);
    }

    private static XElement Metadata(ZipArchive package)
    {
        var nuspec = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspec.Open();
        var root = XDocument.Load(stream).Root!;
        Assert.NotNull(package.GetEntry("README.md"));
        return root.Element(root.Name.Namespace + "metadata")!;
    }

    private static XNamespace Ns(XElement element) => element.Name.Namespace;

    private static bool HasEmbeddedPdb(ZipArchiveEntry entry)
    {
        using var memory = new MemoryStream();
        using (var stream = entry.Open())
        {
            stream.CopyTo(memory);
        }

        memory.Position = 0;
        using var pe = new PEReader(memory);
        return pe.ReadDebugDirectory().Any(d => d.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
    }
}
