namespace Actors.ClientDemo.Workload;

/// <summary>What a workload operation does.</summary>
public enum OperationKind
{
    /// <summary>Pays money into an account.</summary>
    Deposit,

    /// <summary>Pays money out of an account (may be rejected for insufficient funds).</summary>
    Withdraw,

    /// <summary>Moves money between two accounts.</summary>
    Transfer,

    /// <summary>Renames a customer (profile and activity written atomically).</summary>
    Rename,

    /// <summary>Adds an account to a customer (profile and activity written atomically).</summary>
    AddAccount,

    /// <summary>Records a customer audit entry (activity only).</summary>
    Audit,
}
