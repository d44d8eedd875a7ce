// Shared by the packaging tests: packs both packages into a local feed once, then runs the README's install commands
// against that feed in an isolated home (own HOME, NuGet cache and nuget.config), as a user on a fresh machine would.
using SecretScan.Core.Validation;

namespace SecretScan.Packaging.Tests;

public sealed class PackedPackages : IDisposable
{
    public PackedPackages()
    {
        Root = Tools.NewTempFolder("packaging");
        Feed = Path.Combine(Root, "feed");
        Home = Path.Combine(Root, "home");
        Consumer = Path.Combine(Root, "consumer");
        Directory.CreateDirectory(Home);
        Directory.CreateDirectory(Consumer);
        Version = Tools.PackageVersion();
        FakeToken = ExampleTemplates.Expand("{{github:ghp_}}", new Random());

        foreach (var project in new[] { "src/SecretScan.Cli", "src/SecretScan.Analyzers.Package" })
        {
            Tools.MustRun("dotnet", Tools.RepoRoot, null, "pack", project, "-c", "Release", "-o", Feed, "--nologo");
        }

        // Only the local feed: the packages must install with nothing but what `dotnet pack` produced.
        File.WriteAllText(Path.Combine(Consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(Consumer, "Consumer.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(Consumer, "Settings.cs"), $$"""
            namespace Consumer;

            public static class Settings
            {
                public const string GitHubToken = "{{FakeToken}}";
            }
            """);

        InstallCommands = Tools.FencedBlockAfter(File.ReadAllText(Path.Combine(Tools.RepoRoot, "README.md")), "## Install");
        InstallResults = InstallCommands.Select(c => Tools.Run("bash", Consumer, Environment, "-c", c)).ToList();
    }

    public string Root { get; }

    public string Feed { get; }

    public string Home { get; }

    public string Consumer { get; }

    public string Version { get; }

    public string FakeToken { get; }

    public IReadOnlyList<string> InstallCommands { get; }

    public IReadOnlyList<ToolResult> InstallResults { get; }

    /// <summary>Where `dotnet tool install --global` puts the command when HOME is <see cref="Home"/>.</summary>
    public string ToolDirectory => Path.Combine(Home, ".dotnet", "tools");

    public string ToolCommand => Path.Combine(ToolDirectory, "secretscan");

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["HOME"] = Home,
        ["DOTNET_CLI_HOME"] = Home,
        ["NUGET_PACKAGES"] = Path.Combine(Root, "nuget-packages"),
        ["NUGET_HTTP_CACHE_PATH"] = Path.Combine(Root, "nuget-http-cache"),
    };

    public string PackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    public void Dispose() => Tools.DeleteFolder(Root);
}
