// Byte-for-byte comparison of every format with the checked-in files in Golden/; SECRETSCAN_UPDATE_GOLDEN=1 rewrites them.
using System.Text;

namespace SecretScan.Reporting.Tests;

public class GoldenFileTests
{
    public static TheoryData<string> Formats => new() { "sarif", "json", "text" };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Report_matches_golden_file(string format)
    {
        var writer = ReportFormats.Find(format)!;
        AssertGolden("report" + writer.FileExtension, ReportFixture.Render(writer, ReportFixture.Golden()));
    }

    [Fact]
    public void Tree_and_history_runs_match_golden_file() =>
        AssertGolden("report-two-runs.sarif", ReportFixture.RenderSarif(new[] { ReportFixture.Golden(), ReportFixture.GoldenHistory() }));

    [Fact]
    public void Colored_text_matches_golden_file() =>
        AssertGolden("report-color.txt", ReportFixture.Render(new TextReportWriter(), ReportFixture.Golden(), new ReportOptions { Color = true }));

    [Theory]
    [MemberData(nameof(Formats))]
    public void Stream_and_text_writer_give_the_same_bytes(string format)
    {
        var writer = ReportFormats.Find(format)!;
        using var text = new StringWriter();
        writer.Write(ReportFixture.Golden(), text);
        Assert.Equal(ReportFixture.Render(writer, ReportFixture.Golden()), text.ToString());
    }

    private static void AssertGolden(string name, string actual)
    {
        var path = Path.Combine(ReportFixture.ProjectDirectory, "Golden", name);
        var bytes = new UTF8Encoding(false).GetBytes(actual);
        if (Environment.GetEnvironmentVariable("SECRETSCAN_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllBytes(path, bytes);
            return;
        }

        Assert.True(File.Exists(path), $"{path} is missing; run the tests once with SECRETSCAN_UPDATE_GOLDEN=1 and review the file");
        var expected = File.ReadAllBytes(path);
        if (!expected.AsSpan().SequenceEqual(bytes))
        {
            // Show a text diff when the bytes differ; fall back to the bytes when the texts are equal (BOM, line ends).
            Assert.Equal(Encoding.UTF8.GetString(expected), actual);
            Assert.Equal(expected, bytes);
        }
    }
}
