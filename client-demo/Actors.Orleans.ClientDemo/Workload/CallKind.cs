namespace Actors.Orleans.ClientDemo.Workload;

/// <summary>What a workload call does.</summary>
public enum CallKind
{
    /// <summary>Pays money into an account.</summary>
    Deposit,

    /// <summary>Pays money out of an account; rejected with nothing changed when the balance is too low.</summary>
    Withdraw,

    /// <summary>Moves money from one account to another (three legs on two streams).</summary>
    Transfer,

    /// <summary>Renames a customer (profile, then activity).</summary>
    Rename,

    /// <summary>Adds an account to a customer (profile, then activity).</summary>
    AddAccount,

    /// <summary>Records a customer activity entry (activity only).</summary>
    Audit,
}
