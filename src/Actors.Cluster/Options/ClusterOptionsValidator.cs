using System.Net;
using Microsoft.Extensions.Options;

namespace Actors.Cluster;

/// <summary>Validates <see cref="ClusterOptions"/>; each failure names the setting.</summary>
public sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Check(bool ok, string message)
        {
            if (!ok)
            {
                failures.Add(message);
            }
        }

        Check(!string.IsNullOrWhiteSpace(options.ClusterId) && options.ClusterId.Length <= 200, $"ClusterOptions.ClusterId must be 1 to 200 characters; got '{options.ClusterId}'.");
        Check(options.PartitionCount is >= 1 and <= ClusterOptions.MaxPartitionCount, $"ClusterOptions.PartitionCount must be between 1 and {ClusterOptions.MaxPartitionCount}; got {options.PartitionCount}.");
        Check(IPAddress.TryParse(options.BindAddress, out _), $"ClusterOptions.BindAddress must be an IP address; got '{options.BindAddress}'.");
        Check(options.Port is >= 0 and <= 65535, $"ClusterOptions.Port must be between 0 and 65535; got {options.Port}.");
        Check(options.LeaseDuration >= TimeSpan.FromMilliseconds(100), $"ClusterOptions.LeaseDuration must be at least 100 ms; got {options.LeaseDuration}.");
        Check(options.LeaseRenewPeriod > TimeSpan.Zero && options.LeaseRenewPeriod * 3 <= options.LeaseDuration,
            $"ClusterOptions.LeaseRenewPeriod must be positive and at most a third of LeaseDuration ({options.LeaseDuration}); got {options.LeaseRenewPeriod}.");
        Check(options.MaxClockDriftRate is >= 0 and < 0.5, $"ClusterOptions.MaxClockDriftRate must be in [0, 0.5); got {options.MaxClockDriftRate}.");
        Check(options.MaxFrameBytes is >= 64 * 1024 and <= 256 * 1024 * 1024, $"ClusterOptions.MaxFrameBytes must be between 64 KiB and 256 MiB; got {options.MaxFrameBytes}.");
        Check(options.TransferChunkBytes >= 4096 && options.TransferChunkBytes <= options.MaxFrameBytes - 4096,
            $"ClusterOptions.TransferChunkBytes must be between 4 KiB and MaxFrameBytes - 4 KiB; got {options.TransferChunkBytes}.");
        Check(options.MaxConcurrentRequestsPerConnection >= 1, $"ClusterOptions.MaxConcurrentRequestsPerConnection must be at least 1; got {options.MaxConcurrentRequestsPerConnection}.");
        Check(options.MaxQueuedFramesPerConnection >= 1, $"ClusterOptions.MaxQueuedFramesPerConnection must be at least 1; got {options.MaxQueuedFramesPerConnection}.");
        foreach ((string setting, TimeSpan value) in new[]
        {
            (nameof(options.HandshakeTimeout), options.HandshakeTimeout),
            (nameof(options.FrameReceiveTimeout), options.FrameReceiveTimeout),
            (nameof(options.ConnectTimeout), options.ConnectTimeout),
            (nameof(options.ControlRequestTimeout), options.ControlRequestTimeout),
            (nameof(options.MoveTimeout), options.MoveTimeout),
            (nameof(options.PartitionWaitTimeout), options.PartitionWaitTimeout),
            (nameof(options.HandOffDrainTimeout), options.HandOffDrainTimeout),
            (nameof(options.PartitionOpenRetryDelay), options.PartitionOpenRetryDelay),
        })
        {
            Check(value > TimeSpan.Zero, $"ClusterOptions.{setting} must be positive; got {value}.");
        }

        Check(options.HandOffDrainTimeout < options.PartitionWaitTimeout && options.HandOffDrainTimeout < options.MoveTimeout,
            $"ClusterOptions.HandOffDrainTimeout must be below PartitionWaitTimeout ({options.PartitionWaitTimeout}) and MoveTimeout ({options.MoveTimeout}), so calls held by an undone move are still served; got {options.HandOffDrainTimeout}.");
        Check(options.PartitionOpenRetryMaxDelay >= options.PartitionOpenRetryDelay && options.PartitionOpenRetryMaxDelay < options.PartitionWaitTimeout,
            $"ClusterOptions.PartitionOpenRetryMaxDelay must be at least PartitionOpenRetryDelay ({options.PartitionOpenRetryDelay}) and below PartitionWaitTimeout ({options.PartitionWaitTimeout}), so a call waiting for a partition whose open failed sees another attempt; got {options.PartitionOpenRetryMaxDelay}.");
        Check(options.ReplicationFactor is >= 1 and <= ClusterOptions.MaxReplicationFactor,
            $"ClusterOptions.ReplicationFactor must be between 1 and {ClusterOptions.MaxReplicationFactor}; got {options.ReplicationFactor}.");
        try
        {
            options.Replication.Validate();
        }
        catch (Actors.Replication.Options.InvalidReplicaOptionsException ex)
        {
            failures.Add($"ClusterOptions.Replication: {ex.Message}");
        }

        Check(options.MaxForwardHops is >= 1 and <= 16, $"ClusterOptions.MaxForwardHops must be between 1 and 16; got {options.MaxForwardHops}.");
        if (options.Tls.Enabled)
        {
            Check(!string.IsNullOrEmpty(options.Tls.CertificatePath) && File.Exists(options.Tls.CertificatePath),
                $"ClusterOptions.Tls.CertificatePath must name an existing .pfx file when TLS is enabled; got '{options.Tls.CertificatePath}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
