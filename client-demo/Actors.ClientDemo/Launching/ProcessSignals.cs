using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Actors.ClientDemo.Launching;

/// <summary>Sends SIGTERM (a graceful stop request) to a process; .NET's <see cref="Process.Kill()"/> only sends SIGKILL.</summary>
internal static partial class ProcessSignals
{
    private const int SigTerm = 15;

    /// <summary>Asks <paramref name="process"/> to stop gracefully. Returns false where that is not possible (Windows), so the caller kills it.</summary>
    public static bool TryTerminate(Process process)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        return Kill(process.Id, SigTerm) == 0;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
