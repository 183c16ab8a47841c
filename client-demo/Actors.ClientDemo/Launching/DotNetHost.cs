namespace Actors.ClientDemo.Launching;

/// <summary>Finds the <c>dotnet</c> host that runs framework-dependent assemblies such as <c>Actors.Silo.dll</c>.</summary>
public static class DotNetHost
{
    /// <summary>
    /// The host running this process when it is <c>dotnet</c> (<c>dotnet run</c>, <c>dotnet test</c>), else
    /// <c>$DOTNET_HOST_PATH</c>, <c>$DOTNET_ROOT/dotnet</c>, or plain <c>dotnet</c> from the PATH.
    /// </summary>
    public static string Resolve()
    {
        string executable = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } self && string.Equals(Path.GetFileName(self), executable, StringComparison.OrdinalIgnoreCase))
        {
            return self;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, executable)))
        {
            return Path.Combine(root, executable);
        }

        return executable;
    }
}
