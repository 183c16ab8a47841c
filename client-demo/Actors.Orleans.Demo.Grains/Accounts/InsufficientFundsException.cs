namespace Actors.Orleans.Demo.Grains.Accounts;

/// <summary>A withdrawal or transfer asked for more than the balance: rejected, nothing was changed.</summary>
[GenerateSerializer, Alias("bank.insufficient-funds")]
public sealed class InsufficientFundsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InsufficientFundsException(string accountId, decimal balance, decimal requested)
        : base($"Account '{accountId}' holds {balance}; {requested} was requested. Rejected: nothing was changed.")
    {
    }

    /// <summary>For the serializer.</summary>
    public InsufficientFundsException()
    {
    }

    /// <summary>For the serializer.</summary>
    public InsufficientFundsException(string message)
        : base(message)
    {
    }

    /// <summary>For the serializer.</summary>
    public InsufficientFundsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
