// Opens a listed file for the folder scan only if it is still a regular file: races with the listing cannot redirect or block the read.
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SecretScan.Cli;

/// <summary>An open regular file, or why the path was refused (then <see cref="Handle"/> is null).</summary>
internal readonly record struct OpenedFile(SafeFileHandle? Handle, string? Refusal);

/// <remarks>
/// Between the walk's listing and the open, a file can be replaced. A plain open would follow a symbolic link put there
/// (out of the scan root: /etc/shadow, /dev/zero) or block forever on a FIFO waiting for a writer. On Unix the open uses
/// O_NOFOLLOW (the kernel refuses a final-component link, the only race-free way) and O_NONBLOCK (a FIFO opens at once),
/// then fstat on the open descriptor decides: only a regular file is read. O_NONBLOCK does nothing to regular-file reads.
/// .NET 10 has no public API for either flag or for the file type of a handle, hence the two P/Invokes.
/// Compared with FileStream's own open (open, fstat, flock, fadvise, flock, close) this makes fewer system calls.
/// </remarks>
internal static class RegularFile
{
    // Errno values POSIX numbers the same on Linux, macOS and the BSDs.
    private const int NotPermitted = 1;
    private const int NoSuchFile = 2;
    private const int NoSuchDeviceOrAddress = 6; // what open(2) says for a Unix socket
    private const int PermissionDenied = 13;

    // The runtime's PAL file type numbers (System.Native's FileStatus.Mode).
    private const int TypeMask = 0xF000;
    private const int FifoType = 0x1000;
    private const int CharacterDeviceType = 0x2000;
    private const int DirectoryType = 0x4000;
    private const int BlockDeviceType = 0x6000;
    private const int RegularType = 0x8000;
    private const int SocketType = 0xC000;

    private static readonly UnixOpen? Unix = UnixOpen.ForThisPlatform();

    public static OpenedFile Open(string path)
    {
        if (Unix is null)
        {
            // Windows has no FIFOs in the file system, and creating a link needs privileges or developer mode.
            return new(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan), null);
        }

        SafeFileHandle handle;
        int errno;
        while (true)
        {
            handle = Native.Open(path, Unix.Flags);
            errno = handle.IsInvalid ? Marshal.GetLastPInvokeError() : 0;
            if (errno != Unix.Interrupted)
            {
                break;
            }

            handle.Dispose();
        }

        if (errno != 0)
        {
            handle.Dispose();
            if (errno == Unix.SymbolicLinkLoop || errno == Unix.SymbolicLinkRefused)
            {
                return new(null, "became a symbolic link during the scan (not followed)");
            }

            if (errno == NoSuchDeviceOrAddress)
            {
                return new(null, "became a socket during the scan (not read)");
            }

            throw Failure(errno, path);
        }

        int type;
        try
        {
            type = TypeOf(handle, path);
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        if (type == RegularType)
        {
            return new(handle, null);
        }

        handle.Dispose();
        return new(null, type switch
        {
            FifoType => "became a FIFO during the scan (not read)",
            DirectoryType => "became a folder during the scan",
            SocketType => "became a socket during the scan (not read)",
            CharacterDeviceType or BlockDeviceType => "became a device during the scan (not read)",
            _ => "is no longer a regular file (not read)",
        });
    }

    // The runtime's own fstat shim (what FileStream calls): one struct layout and one S_IF* numbering on every Unix,
    // where libc's struct stat differs per architecture and glibc before 2.33 does not even export fstat.
    private static int TypeOf(SafeFileHandle handle, string path)
    {
        if (Native.FStat(handle, out var status) != 0)
        {
            throw Failure(Marshal.GetLastPInvokeError(), path);
        }

        return status.Mode & TypeMask;
    }

    private static Exception Failure(int errno, string path)
    {
        var message = $"{Marshal.GetPInvokeErrorMessage(errno)} : '{path}'";
        return errno is PermissionDenied or NotPermitted ? new UnauthorizedAccessException(message)
            : errno == NoSuchFile ? new FileNotFoundException(message, path)
            : new IOException(message);
    }

    /// <summary>open(2) flags and errno values, which differ between kernels and, for O_NOFOLLOW, between Linux architectures.</summary>
    private sealed record UnixOpen(int Flags, int Interrupted, int SymbolicLinkLoop, int SymbolicLinkRefused)
    {
        public static UnixOpen? ForThisPlatform()
        {
            if (OperatingSystem.IsLinux())
            {
                // O_NOFOLLOW is 0o100000 where O_DIRECTORY is 0o40000 (arm, arm64, powerpc), else 0o400000.
                // 32-bit processes also need O_LARGEFILE to open files over 2 GB (64-bit kernels imply it).
                var arch = RuntimeInformation.ProcessArchitecture;
                var noFollow = arch is Architecture.Arm or Architecture.Arm64 or Architecture.Armv6 or Architecture.Ppc64le ? 0x8000 : 0x20000;
                var largeFile = arch switch { Architecture.X86 => 0x8000, Architecture.Arm or Architecture.Armv6 => 0x20000, _ => 0 };
                const int NonBlock = 0x800, CloseOnExec = 0x80000, Eloop = 40;
                return new(noFollow | largeFile | NonBlock | CloseOnExec, Interrupted: 4, Eloop, Eloop);
            }

            if (OperatingSystem.IsMacOS() || OperatingSystem.IsMacCatalyst())
            {
                const int NonBlock = 0x4, NoFollow = 0x100, CloseOnExec = 0x1000000, Eloop = 62;
                return new(NoFollow | NonBlock | CloseOnExec, Interrupted: 4, Eloop, Eloop);
            }

            if (OperatingSystem.IsFreeBSD())
            {
                // FreeBSD says EMLINK, not ELOOP, when O_NOFOLLOW meets a link.
                const int NonBlock = 0x4, NoFollow = 0x100, CloseOnExec = 0x100000, Eloop = 62, Emlink = 31;
                return new(NoFollow | NonBlock | CloseOnExec, Interrupted: 4, Eloop, Emlink);
            }

            return null;
        }
    }

    /// <summary>System.Native's FileStatus up to Mode (120 bytes in .NET 10), with room for fields a later runtime adds.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct FileStatus
    {
        public int Flags;
        public int Mode;
    }

    private static class Native
    {
        // open(2) is variadic; without O_CREAT the mode argument is never read, so the fixed part is the whole call.
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern SafeFileHandle Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_FStat", SetLastError = true)]
        public static extern int FStat(SafeFileHandle fd, out FileStatus status);
    }
}
