// Packs the real package, references it from a fresh project through a temp feed, and builds it with the real `dotnet build`.
using System.Diagnostics;
using System.IO.Compression;
using System.Text;

namespace SecretScan.Analyzers.Tests;

public class PackageEndToEndTests
{
    [Fact]
    public void PackedPackageWarnsInARealBuild()
    {
        var root = Path.Combine(Path.GetTempPath(), "secretscan-e2e-" + Guid.NewGuid().ToString("N").Substring(0, 12));
        var feed = Path.Combine(root, "feed");
        var app = Path.Combine(root, "app");
        Directory.CreateDirectory(app);
        try
        {
            // A unique version, so no cached copy of an older build of the package can stand in for this one.
            var version = "0.0.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
            var package = Path.Combine(Verifier.RepoRoot, "src", "SecretScan.Analyzers.Package", "SecretScan.Analyzers.Package.csproj");
            Run(Verifier.RepoRoot, "pack", package, "-o", feed, "-p:Version=" + version, "-nologo");

            var nupkg = Path.Combine(feed, $"SecretScan.Analyzers.{version}.nupkg");
            using (var zip = ZipFile.OpenRead(nupkg))
            {
                var dlls = zip.Entries.Where(e => e.FullName.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).Select(e => e.FullName).OrderBy(n => n, StringComparer.Ordinal);
                Assert.Equal(new[] { "analyzers/dotnet/cs/SecretScan.Analyzers.CodeFixes.dll", "analyzers/dotnet/cs/SecretScan.Analyzers.dll", "analyzers/dotnet/cs/SecretScan.Core.dll" }, dlls);
                Assert.Contains(zip.Entries, e => e.FullName == "build/SecretScan.Analyzers.props");
                Assert.Contains(zip.Entries, e => e.FullName == "presets/strict.globalconfig");
            }

            var (token, stripe, password, apiSecret) = (Fakes.GitHubPat(), Fakes.StripeLive(), Fakes.Password(), Fakes.HighEntropy());
            File.WriteAllText(Path.Combine(app, "NuGet.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="e2e" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <RestorePackagesPath>{Path.Combine(root, "packages")}</RestorePackagesPath>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="SecretScan.Analyzers" Version="{version}" PrivateAssets="all" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(app, "Program.cs"), $$"""
                const string GitHubToken = "{{token}}";
                var stripeKey = "{{stripe}}";
                var apiSecret = "{{apiSecret}}";
                Console.WriteLine(GitHubToken.Length + stripeKey.Length + apiSecret.Length);
                """);
            File.WriteAllText(Path.Combine(app, "appsettings.json"), $$"""
                { "ConnectionStrings": { "Db": "Server=db.internal;Database=app;User Id=app;Password={{password}};" } }
                """);
            File.WriteAllText(Path.Combine(app, ".env"), $"GITHUB_TOKEN={Fakes.GitHubPat()}\n");
            File.WriteAllText(Path.Combine(app, ".editorconfig"), """
                root = true
                [*.cs]
                dotnet_diagnostic.SS1904.severity = none
                dotnet_diagnostic.SS1300.severity = error
                # malformed values must fall back to the defaults, never fail the analyzer (AD0001)
                secretscan.max_additional_file_size = a lot
                secretscan.additional_files = perhaps
                """);

            var output = Run(app, "build", "App.csproj", "-nologo", "-p:UseSharedCompilation=false", "--no-incremental", "-clp:NoSummary", "--ignore-failed-sources", "--expect-failure");
            Assert.Matches(@"Program\.cs\(1,\d+\): warning SS1100:", output);
            Assert.Matches(@"Program\.cs\(2,\d+\): error SS1300:", output);
            Assert.Matches(@"appsettings\.json\(1,\d+\): warning SS1709:", output);
            Assert.Matches(@"\.env\(1,\d+\): warning SS1100:", output);
            Assert.DoesNotMatch("SS1904|AD0001|CS8032|CS9057|error CS|error NU", output);
            Assert.DoesNotContain(token, output, StringComparison.Ordinal);
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Runs dotnet; "--expect-failure" lets a build that fails on purpose return its output.</summary>
    private static string Run(string directory, params string[] args)
    {
        var expectFailure = args.Contains("--expect-failure");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args.Where(a => a != "--expect-failure"))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start)!;
        var stdout = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(300_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet " + string.Join(' ', args) + " did not finish in 5 minutes");
        }

        process.WaitForExit();
        var text = stdout.ToString();
        Assert.True(expectFailure || process.ExitCode == 0, $"dotnet {string.Join(' ', args)} failed ({process.ExitCode}):\n{text}");
        return text;
    }
}
