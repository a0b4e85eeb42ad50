using System.Diagnostics;

namespace ShaveTracker.Benchmarks;

/// <summary>This program again, in a second process, with the given arguments (run by its apphost, or by dotnet).</summary>
internal static class SelfProcess
{
    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var self = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(self) { UseShellExecute = false };
        if (!self.EndsWith("ShaveTracker.Benchmarks", StringComparison.Ordinal))
        {
            psi.ArgumentList.Add(typeof(SelfProcess).Assembly.Location);
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return psi;
    }
}
