namespace Actors.Demo.Grains.Accounts;

/// <summary>A withdrawal or transfer asked for more than the balance. Nothing was changed.</summary>
[GenerateSerializer, Alias("demo.insufficient-funds")]
public sealed class InsufficientFundsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InsufficientFundsException(string accountId, decimal balance, decimal requested)
        : base($"Account '{accountId}' has {balance}; {requested} was requested. Nothing was changed.")
    {
    }
}
