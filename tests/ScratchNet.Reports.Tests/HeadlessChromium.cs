using System.Diagnostics;

namespace ScratchNet.Reports.Tests;

/// <summary>Debian's Chromium, headless, with a fresh profile and no network chatter: loads a local page and dumps its DOM or a screenshot.</summary>
internal static class HeadlessChromium
{
    private const string Executable = "/usr/bin/chromium";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>The DOM after the page's load event (scripts run, images decoded).</summary>
    public static string DumpDom(string htmlPath) => Run(htmlPath, "--dump-dom");

    public static void Screenshot(string htmlPath, string pngPath, int width, int height) =>
        Run(htmlPath, $"--screenshot={pngPath}", $"--window-size={width},{height}", "--hide-scrollbars");

    private static string Run(string htmlPath, params string[] extra)
    {
        if (!File.Exists(Executable))
            Assert.Fail("The report's browser test needs Chromium: install chromium: apt-get install -y chromium");
        var profile = Path.Combine(Path.GetTempPath(), $"scratchnet-chromium-{Guid.NewGuid():N}");
        Directory.CreateDirectory(profile);
        try
        {
            var start = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var flag in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}" })
                start.ArgumentList.Add(flag);
            foreach (var flag in extra)
                start.ArgumentList.Add(flag);
            start.ArgumentList.Add(new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"Chromium did not finish within {Timeout.TotalSeconds} s on {htmlPath}.");
            }
            process.WaitForExit();
            if (process.ExitCode != 0)
                Assert.Fail($"Chromium exited with {process.ExitCode}: {stderr.Result}");
            return stdout.Result;
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
