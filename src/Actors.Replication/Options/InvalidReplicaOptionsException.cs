namespace Actors.Replication.Options;

/// <summary>A <see cref="ReplicaOptions"/> setting is out of range.</summary>
public sealed class InvalidReplicaOptionsException : ReplicationException
{
    /// <summary>Creates the exception.</summary>
    public InvalidReplicaOptionsException(string setting, string problem)
        : base($"ReplicaOptions.{setting} {problem}.")
    {
        Setting = setting;
    }

    /// <summary>The setting's property name.</summary>
    public string Setting { get; }
}
