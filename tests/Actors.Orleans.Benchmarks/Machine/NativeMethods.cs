using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Actors.Orleans.Benchmarks.Machine;

/// <summary>fdatasync(2), which the BCL does not expose (FileStream.Flush(true) is a full fsync).</summary>
internal static partial class NativeMethods
{
    public static void FDataSync(SafeFileHandle handle)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (fdatasync((int)handle.DangerousGetHandle()) != 0)
            {
                throw new Win32Exception(Marshal.GetLastPInvokeError(), "fdatasync failed");
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fdatasync(int fd);
}
