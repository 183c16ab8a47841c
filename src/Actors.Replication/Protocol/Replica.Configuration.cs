using Actors.Replication.Configuration;

namespace Actors.Replication.Protocol;

/// <summary>
/// The replica's dealings with the configuration store: reads, conditional writes whose replies may be lost, elections.
/// </summary>
/// <remarks>
/// A write is resolved only by seeing a version above the one it was conditioned on: until then it may still take
/// effect, so a leader keeps waiting for a replica it proposed to remove or add.
/// </remarks>
public sealed partial class Replica
{
    /// <summary>Delivers the answer to <see cref="IReplicaEnvironment.ReadConfiguration"/>.</summary>
    public void OnConfigurationRead(ReplicaConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Observe(configuration);
    }

    /// <summary>Delivers the answer to <see cref="IReplicaEnvironment.WriteConfiguration"/>(<paramref name="expectedVersion"/>, ...).</summary>
    public void OnConfigurationWritten(long expectedVersion, ConfigurationWriteResult result)
    {
        ArgumentNullException.ThrowIfNull(result.Current);
        Observe(result.Current);
    }

    /// <summary>Reads the configuration now instead of at the next poll (the driver learned that it changed).</summary>
    public void RefreshConfiguration() => RequestConfigurationRead();

    private void RequestConfigurationRead()
    {
        _configuration.ReadRequested(_time.GetTimestamp());
        _environment.ReadConfiguration();
    }

    private void ProposeConfiguration(ReplicaConfiguration proposal)
    {
        var expected = proposal.Version - 1;
        _configuration.WriteSent(new PendingConfigurationWrite(expected, proposal, _time.GetTimestamp()));
        _environment.WriteConfiguration(expected, proposal);
        if (Role == ReplicaRole.Leader)
        {
            AdvanceCommit();
        }
    }

    /// <summary>Takes in one linearizable observation of the store (a read, or a write's answer).</summary>
    private void Observe(ReplicaConfiguration configuration)
    {
        if (_configuration.View is not { } known || configuration.Version > known.Version)
        {
            if (Role != ReplicaRole.Leader || configuration.Epoch != _epoch)
            {
                _configuration.Adopt(configuration);
            }
        }

        if (_configuration.SawEpoch(configuration.Epoch))
        {
            _followerState.Heard(_running.Now());
        }

        ResolvePendingWrite(configuration);
        if (Role == ReplicaRole.Leader)
        {
            if (configuration.Epoch > _epoch)
            {
                StepDown();
            }
            else if (configuration.Epoch == _epoch && configuration.Version > _configuration.View!.Version)
            {
                // Only this leader writes in its epoch: a newer version of it is this leader's own accepted proposal.
                _configuration.Adopt(configuration);
                TrackReplicaSet(configuration);
                AdvanceCommit();
            }

            EndHandOverIfResolved();
            return;
        }

        if (configuration.Leader == Id && configuration.Epoch > _epoch && configuration.Version >= _configuration.View!.Version)
        {
            // The store named this replica (its write's reply may have been lost); it has never acted in that epoch.
            _configuration.ElectionWanted = false;
            _configuration.ForgetPendingWrite();
            BecomeLeader(configuration);
            return;
        }

        if (_configuration.PendingWrite is not null || configuration.Version < _configuration.View!.Version)
        {
            return;
        }

        if (configuration.Leader == Id)
        {
            // Named leader of an epoch this replica already entered (it restarted or stepped down): never resume it. A
            // retired replica leaves the epoch to the others' election.
            _configuration.ElectionWanted = false;
            if (!_retired)
            {
                ProposeConfiguration(configuration.WithNewLeader(Id));
            }

            return;
        }

        if (_configuration.ElectionWanted)
        {
            _configuration.ElectionWanted = false;
            var mayLead = !_retired && (configuration.IsInSync(Id) || _faults.ElectOutsideInSync);
            if (mayLead && LeaderTimedOut())
            {
                var proposal = configuration.WithNewLeader(Id);
                if (!proposal.IsInSync(Id))
                {
                    proposal = proposal with { InSync = [.. proposal.InSync.Append(Id).Order()] };
                }

                ProposeConfiguration(proposal);
            }
        }
    }

    private void ResolvePendingWrite(ReplicaConfiguration configuration)
    {
        if (_configuration.PendingWrite is not { } pending)
        {
            return;
        }

        if (configuration.Version > pending.ExpectedVersion)
        {
            _configuration.ForgetPendingWrite();
            return;
        }

        if (_time.GetElapsedTime(pending.SentAt) >= _options.ConfigurationPollInterval)
        {
            // Not taken effect yet as far as this read shows; the write may be lost. Sending it again is safe: it is
            // conditioned on the same version, so at most one of the copies takes effect.
            _configuration.WriteSent(pending with { SentAt = _time.GetTimestamp() });
            _environment.WriteConfiguration(pending.ExpectedVersion, pending.Proposal);
        }
    }
}
