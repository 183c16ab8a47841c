namespace Actors.Orleans.ClientDemo.Launching;

/// <summary>How <see cref="SiloProcess"/> starts the Orleans silo (silo/Actors.Orleans.Silo) as a child process.</summary>
public sealed class SiloProcessOptions
{
    /// <summary>The silo program's file name, built next to the demo by its project reference.</summary>
    public const string SiloAssemblyName = "Actors.Orleans.Silo.dll";

    /// <summary>The silo's data directory (<c>ACTORS__DATADIRECTORY</c>). Required.</summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>The log's sync policy (<c>WRITEAHEADLOG__SYNCPOLICY</c>). Default <c>Always</c>: a call is answered after its fsync.</summary>
    public string SyncPolicy { get; set; } = "Always";

    /// <summary>The silo program; default <see cref="SiloAssemblyName"/> next to this assembly, or <c>ACTORS_ORLEANS_SILO_DLL</c>.</summary>
    public string? SiloAssemblyPath { get; set; }

    /// <summary>
    /// The grain assembly the silo loads (<c>ACTORS__GRAINSDIRECTORY</c> and <c>ACTORS__GRAINASSEMBLIES__0</c>): the
    /// silo carries no grains of its own. Default the demo grains (<c>Actors.Orleans.Demo.Grains.dll</c>), from where
    /// this process loaded them.
    /// </summary>
    public string GrainAssemblyPath { get; set; } = typeof(Demo.Grains.Accounts.AccountGrain).Assembly.Location;

    /// <summary>How long the silo may take to log its endpoints and answer 200 on /health. Default 120 s (a loaded machine).</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Further environment variables for the silo; they win over the ones the launcher sets.</summary>
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Receives each line the silo writes, or null.</summary>
    public Action<string>? OutputLine { get; set; }

    /// <summary>The silo program to run.</summary>
    /// <exception cref="FileNotFoundException">It is not there; the message says how to build it.</exception>
    public string ResolveSiloAssembly()
    {
        string? configured = System.Environment.GetEnvironmentVariable("ACTORS_ORLEANS_SILO_DLL");
        string path = SiloAssemblyPath ?? (string.IsNullOrEmpty(configured) ? Path.Combine(AppContext.BaseDirectory, SiloAssemblyName) : configured);
        return File.Exists(path)
            ? Path.GetFullPath(path)
            : throw new FileNotFoundException($"The silo program {path} does not exist: build client-demo/Actors.Orleans.ClientDemo (it builds the silo next to itself) or set ACTORS_ORLEANS_SILO_DLL.", path);
    }
}
