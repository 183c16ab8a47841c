namespace Actors.ClientDemo.Launching;

/// <summary>How <see cref="SiloProcess"/> starts the silo executable (silo/Actors.Silo) as a child process.</summary>
public sealed class SiloLaunchOptions
{
    /// <summary>The silo's data directory (<c>ACTORS__DATADIRECTORY</c>). Required.</summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>
    /// The silo's entry assembly. Default: <c>Actors.Silo.dll</c> next to this assembly (the demo and the crash tests
    /// reference the silo project, so its build output is copied next to theirs), or <c>ACTORS_SILO_DLL</c> if set.
    /// </summary>
    public string? SiloAssemblyPath { get; set; }

    /// <summary>The gateway's shared secret (<c>ACTORS__GATEWAY__SECRET</c>); null for none.</summary>
    public string? Secret { get; set; }

    /// <summary>The default store's sync policy (<c>ACTORS__STORAGE__DEFAULT__SYNCPOLICY</c>). Default <c>Always</c>.</summary>
    public string SyncPolicy { get; set; } = "Always";

    /// <summary>Further <c>ACTORS__...</c> (or any) environment variables for the silo; they win over the ones above.</summary>
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>How long the silo may take to log that it started and to answer 200 on /health. Default 60 s.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Receives every line the silo writes (stdout and stderr), for example to echo it; null to keep quiet.</summary>
    public Action<string>? OutputLine { get; set; }

    /// <summary>
    /// Cluster mode (docs/cluster.md): the silo joins cluster <paramref name="clusterId"/> as <paramref name="siloName"/>,
    /// its table in the PostgreSQL database of <paramref name="connectionString"/>, on an ephemeral loopback silo port.
    /// Further <c>ACTORS__CLUSTER__...</c> settings go in <see cref="Environment"/>.
    /// </summary>
    public SiloLaunchOptions JoinCluster(string siloName, string connectionString, string clusterId, string? clusterSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(siloName);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentException.ThrowIfNullOrEmpty(clusterId);
        Environment["ACTORS__SILONAME"] = siloName;
        Environment["ACTORS__CLUSTER__ENABLED"] = "true";
        Environment["ACTORS__CLUSTER__CONNECTIONSTRING"] = connectionString;
        Environment["ACTORS__CLUSTER__CLUSTERID"] = clusterId;
        Environment["ACTORS__CLUSTER__BINDADDRESS"] = "127.0.0.1";
        Environment["ACTORS__CLUSTER__PORT"] = "0";
        Environment["ACTORS__CLUSTER__SECRET"] = clusterSecret ?? "";
        return this;
    }

    /// <summary>The silo assembly to run: <see cref="SiloAssemblyPath"/>, <c>ACTORS_SILO_DLL</c>, or next to this assembly.</summary>
    public string ResolveSiloAssembly()
    {
        string? fromEnvironment = System.Environment.GetEnvironmentVariable("ACTORS_SILO_DLL");
        string path = SiloAssemblyPath
            ?? (string.IsNullOrEmpty(fromEnvironment) ? Path.Combine(AppContext.BaseDirectory, "Actors.Silo.dll") : fromEnvironment);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"The silo executable {path} does not exist. Build the repository (dotnet build Actors.sln) or set ACTORS_SILO_DLL.", path);
        }

        return Path.GetFullPath(path);
    }
}
