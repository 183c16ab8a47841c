using Actors.Orleans.Silo.Grains;
using Actors.Orleans.Silo.Hosting;
using Actors.Orleans.Silo.Options;

namespace Actors.Orleans.Silo.Tests;

/// <summary>What the silo does with <c>Actors:GrainsDirectory</c> before Orleans starts (the demo and check-compose.sh show loading real grains).</summary>
public sealed class GrainAssemblyLoaderTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "actors-grains-" + Guid.NewGuid().ToString("N"));

    public GrainAssemblyLoaderTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Load_NoDirectoryConfigured_LoadsNothing() =>
        Assert.Empty(GrainAssemblyLoader.Load(new ActorsSiloOptions()));

    [Fact]
    public void Load_MissingDirectory_FailsNamingTheSetting()
    {
        var options = new ActorsSiloOptions { GrainsDirectory = Path.Combine(_directory, "absent") };
        var error = Assert.Throws<SiloStartupException>(() => GrainAssemblyLoader.Load(options));
        Assert.Contains("Actors:GrainsDirectory", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DirectoryWithoutOrleansGeneratedCode_FailsNamingTheSetting()
    {
        File.WriteAllBytes(Path.Combine(_directory, "native.dll"), [0x7F, 0x45, 0x4C, 0x46, 1, 2, 3]);   // not a .NET assembly: skipped
        var options = new ActorsSiloOptions { GrainsDirectory = _directory };
        var error = Assert.Throws<SiloStartupException>(() => GrainAssemblyLoader.Load(options));
        Assert.Contains("Actors:GrainsDirectory", error.Message, StringComparison.Ordinal);
        Assert.Contains("Orleans generated code", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NamedAssemblyMissing_FailsNamingGrainAssemblies()
    {
        var options = new ActorsSiloOptions { GrainsDirectory = _directory };
        options.GrainAssemblies.Add("MyGrains.dll");
        var error = Assert.Throws<SiloStartupException>(() => GrainAssemblyLoader.Load(options));
        Assert.Contains("Actors:GrainAssemblies names MyGrains.dll", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NamedFileNotAnAssembly_FailsNamingTheFile()
    {
        File.WriteAllBytes(Path.Combine(_directory, "Broken.dll"), [1, 2, 3, 4]);
        var options = new ActorsSiloOptions { GrainsDirectory = _directory };
        options.GrainAssemblies.Add("Broken.dll");
        var error = Assert.Throws<SiloStartupException>(() => GrainAssemblyLoader.Load(options));
        Assert.Contains("Broken.dll is not a .NET assembly", error.Message, StringComparison.Ordinal);
    }
}
