using Actors.Storage;
using Actors.TestingHost;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Hosting.Tests.Infrastructure;

/// <summary>Registers the note grain and a file storage in the silo's data directory.</summary>
public sealed class TestSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        TestSiloContext context = siloBuilder.GetTestSiloContext();
        siloBuilder.AddGrain<NoteGrain>();
        siloBuilder.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Default, new FileGrainStorage(context.DataDirectory));
    }
}
