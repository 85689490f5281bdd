using System.Buffers.Binary;
using System.Text;
using ScratchNet.IO;
using ScratchNet.Runs;
using ScratchNet.Tests.Data;
using static ScratchNet.Tests.Reliability.BrokenCase;
using static ScratchNet.Tests.Reliability.BrokenInputFixtures;

namespace ScratchNet.Tests.Reliability;

/// <summary>The broken-input table: checkpoints (safetensors) met by --resume, and run folders met by report.</summary>
internal static partial class BrokenInputCases
{
    private const string RerunFix = "Re-run the training that wrote it";

    /// <summary>A finished run whose checkpoint is then changed by <paramref name="change"/>; the command resumes it.</summary>
    private static Func<TempDirectory, Func<(int, string)>> ResumeAfter(Action<string> change, params string[] options) =>
        dir =>
        {
            var run = FinishedRun(dir);
            change(run);
            return RunCli(ResumeRun(dir, options));
        };

    /// <summary>A finished run folder broken by <paramref name="change"/>; the command writes a report from it.</summary>
    private static Func<TempDirectory, Func<(int, string)>> ReportAfter(Action<string> change, params string[] options) =>
        dir =>
        {
            var run = FinishedRun(dir);
            change(run);
            return RunCli(Report(dir, options));
        };

    private static void ChangeText(string path, Func<string, string> change) => File.WriteAllText(path, change(File.ReadAllText(path)));

    private static IEnumerable<BrokenCase> RunCases() =>
    [
        Data("safetensors: absurd header length", ["checkpoint.safetensors is not a valid safetensors file", "the header claims 1000000000000", RerunFix],
            ResumeAfter(run => ChangeFile(Checkpoint(run), b =>
            {
                BinaryPrimitives.WriteUInt64LittleEndian(b, 1_000_000_000_000);
                return b;
            }))),
        Data("safetensors: header that is not JSON", ["checkpoint.safetensors is not a valid safetensors file", "not valid JSON", RerunFix],
            ResumeAfter(run => ChangeFile(Checkpoint(run), b =>
            {
                b[8] = (byte)'x';
                return b;
            }))),
        Data("safetensors: data offsets outside the file", ["has data offsets", "outside the", RerunFix],
            ResumeAfter(run => ChangeFile(Checkpoint(run), b => b[..^8]))),
        Data("safetensors: shorter than the length field", ["shorter than the 8-byte header length", RerunFix],
            ResumeAfter(run => ChangeFile(Checkpoint(run), b => b[..5]))),
        Data("safetensors: unsupported dtype", ["unsupported dtype 'X64'", RerunFix],
            ResumeAfter(run => ReplaceBytes(Checkpoint(run), "\"F64\"", "\"X64\""))),
        Data("safetensors: dtype not matching the model", ["tensor 'W' is F32 with 4 values; this run expects F64 with 4", "--precision"],
            ResumeAfter(run => RewriteCheckpoint(run, tensors => Replace(tensors, "W", w => SafeTensor.FromFloats("W", [.. w.ToFloats()], w.Shape))))),
        Data("safetensors: shape not matching the model", ["tensor 'W' is F64 with 3 values; this run expects F64 with 4", "Resume with the options of the interrupted run (--precision and the model's)"],
            ResumeAfter(run => RewriteCheckpoint(run, tensors => Replace(tensors, "W", w => SafeTensor.FromDoubles("W", w.ToDoubles()[..3], 1, 3))))),
        Data("safetensors: a tensor missing", ["tensor 'optimizer.steps' is missing", "incomplete"],
            ResumeAfter(run => RewriteCheckpoint(run, tensors => [.. tensors.Where(t => t.Name != "optimizer.steps")]))),
        Data("resume: checkpoint without its epoch history", ["lacks its epoch history", "delete the folder and run without --resume"],
            ResumeAfter(run => RewriteCheckpoint(run, metadata: m => m.Remove("history")))),
        new("resume: no checkpoint to resume from", ExitCodes.Usage, ["checkpoint.safetensors does not exist", "run without --resume instead"],
            dir => RunCli(Regress(AmesNpzFolder(dir), dir, "--resume"))),
        new("resume: options other than the interrupted run's", ExitCodes.Usage, ["--lr 0.002 conflicts with the run's 0.001", "manifest.json). Leave the option out"],
            ResumeAfter(_ => { }, "--lr", "0.002")),
        new("runs: --out names a file", ExitCodes.Usage, ["Cannot create the output folder", "Choose another --out"],
            dir =>
            {
                var ames = AmesNpzFolder(dir);
                dir.Write("run", "not a folder"u8.ToArray());
                return RunCli(Regress(ames, dir));
            }),
        new("runs: an output folder another process is writing", ExitCodes.Locked, ["is in use by another ScratchNet process", "choose another --out"],
            dir =>
            {
                var ames = AmesNpzFolder(dir);
                Directory.CreateDirectory(dir.File("run"));
                var held = new FileStream(Path.Combine(dir.File("run"), ".lock"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
                return () =>
                {
                    using (held)
                        return RunCli(Regress(ames, dir))();
                };
            }),
        Data("runs: a run folder without its manifest", ["No run folders (folders holding manifest.json) found", "./scratchnet reproduce"],
            ReportAfter(run => File.Delete(Path.Combine(run, RunFolder.ManifestFile)))),
        Data("runs: a truncated manifest", ["manifest.json is not a valid run manifest", "re-run the training", "--skip-bad"],
            ReportAfter(run => ChangeFile(Path.Combine(run, RunFolder.ManifestFile), b => b[..(b.Length / 2)]))),
        Data("runs: a manifest of another schema", ["has schema 'scratchnet.run/0', expected 'scratchnet.run/1'", "re-run the training"],
            ReportAfter(run => ChangeText(Path.Combine(run, RunFolder.ManifestFile), t => t.Replace(RunManifest.CurrentSchema, "scratchnet.run/0", StringComparison.Ordinal)))),
        Data("runs: a manifest that is JSON null", ["manifest.json is empty (JSON null)", "re-run the training"],
            ReportAfter(run => File.WriteAllText(Path.Combine(run, RunFolder.ManifestFile), "null"))),
        Data("runs: a manifest missing its options", ["manifest.json is not a valid run manifest", "options"],
            ReportAfter(run => ChangeText(Path.Combine(run, RunFolder.ManifestFile), t => t.Replace("\"options\"", "\"opt\"", StringComparison.Ordinal)))),
        Data("runs: a corrupt metrics.csv", ["metrics.csv: the first line should be the header", "re-run the training"],
            ReportAfter(run => File.WriteAllText(Path.Combine(run, RunFolder.MetricsFile), "garbage\n1,2\n"))),
        Data("runs: every run unreadable with --skip-bad", ["was unreadable; nothing to report"],
            ReportAfter(run => File.WriteAllText(Path.Combine(run, RunFolder.ManifestFile), "{"), "--skip-bad")),
        new("runs: --runs folder that does not exist", ExitCodes.Usage, ["--runs", "no such folder"],
            dir => RunCli(Report(dir))),
        new("runs: --out a folder that is not a report", ExitCodes.Usage, ["is not a report folder, so it is left alone", "Choose a new or empty folder"],
            dir =>
            {
                FinishedRun(dir);
                dir.Write(Path.Combine("report", "notes.txt"), "mine"u8.ToArray());
                return RunCli(Report(dir, "--data-dir", dir.File("no-data")));
            }),
    ];

    /// <summary>Replaces the first occurrence of <paramref name="from"/> in the file's bytes by <paramref name="to"/> (same length).</summary>
    private static void ReplaceBytes(string path, string from, string to) => ChangeFile(path, bytes =>
    {
        var at = bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(from));
        Assert.True(at >= 0 && from.Length == to.Length, $"'{from}' not in {path}");
        Encoding.ASCII.GetBytes(to).CopyTo(bytes, at);
        return bytes;
    });
}
