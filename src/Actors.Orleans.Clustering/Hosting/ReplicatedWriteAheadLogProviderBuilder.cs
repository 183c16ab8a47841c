using System.Reflection;
using Actors.Orleans.Clustering;
using Actors.Orleans.Clustering.Hosting;
using Microsoft.Extensions.Configuration;
using Orleans;
using Orleans.Hosting;
using Orleans.Providers;

[assembly: RegisterProvider(ReplicatedWriteAheadLogProviderBuilder.ProviderType, "GrainStorage", "Silo", typeof(ReplicatedWriteAheadLogProviderBuilder))]

namespace Actors.Orleans.Clustering.Hosting;

/// <summary>
/// Replication chosen by configuration alone: <c>Orleans:GrainStorage:&lt;name&gt;:ProviderType =
/// "ReplicatedWriteAheadLog"</c> does what <c>"WriteAheadLog"</c> does (the silo's log from the section
/// <c>WriteAheadLog</c>, the grain storage <c>&lt;name&gt;</c> from its own section) and adds
/// <c>AddWriteAheadLogReplication</c> bound from <see cref="ReplicationSection"/>.
/// </summary>
/// <remarks>
/// Orleans's provider registry reads provider types from configuration only for its own kinds (clustering, reminders,
/// broadcast channels, streaming, grain storage, grain directory), so replication rides on a grain storage provider type.
/// The silo's write-ahead-log providers all share one log, so any one provider of this type replicates them all; the
/// others may say <c>"WriteAheadLog"</c> or <c>"ReplicatedWriteAheadLog"</c> alike. A <c>WriteAheadLog:Replication</c>
/// section with no provider of this type (and no <c>AddWriteAheadLogReplication</c> in code) is not read.
/// </remarks>
internal sealed class ReplicatedWriteAheadLogProviderBuilder : IProviderBuilder<ISiloBuilder>
{
    /// <summary>The <c>ProviderType</c> that chooses the replicated providers.</summary>
    public const string ProviderType = "ReplicatedWriteAheadLog";

    /// <summary>The <c>ProviderType</c> of the single-silo providers (package Actors.Orleans), which this one extends.</summary>
    public const string SingleSiloProviderType = "WriteAheadLog";

    /// <summary>The configuration section of <see cref="WriteAheadLogReplicationOptions"/>.</summary>
    public const string ReplicationSection = "WriteAheadLog:Replication";

    public void Configure(ISiloBuilder builder, string? name, IConfigurationSection configurationSection)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configurationSection);
        SingleSiloProviderBuilder().Configure(builder, name, configurationSection);
        builder.AddWriteAheadLogReplication(builder.Configuration.GetSection(ReplicationSection));
    }

    /// <summary>The provider builder Actors.Orleans registers for <see cref="SingleSiloProviderType"/>, found by its registration.</summary>
    private static IProviderBuilder<ISiloBuilder> SingleSiloProviderBuilder()
    {
        RegisterProviderAttribute registration = typeof(WriteAheadLogSiloBuilderExtensions).Assembly
            .GetCustomAttributes<RegisterProviderAttribute>()
            .SingleOrDefault(a => a is { Name: SingleSiloProviderType, Kind: "GrainStorage", Target: "Silo" })
            ?? throw new WriteAheadLogReplicationException(
                $"Orleans:GrainStorage ProviderType '{ProviderType}' extends '{SingleSiloProviderType}', which the assembly Actors.Orleans does not register: the Actors.Orleans and Actors.Orleans.Clustering packages must be of the same version.");
        return Activator.CreateInstance(registration.Type) as IProviderBuilder<ISiloBuilder>
            ?? throw new WriteAheadLogReplicationException(
                $"The '{SingleSiloProviderType}' grain storage provider builder {registration.Type} registered by Actors.Orleans is not an IProviderBuilder<ISiloBuilder>.");
    }
}
