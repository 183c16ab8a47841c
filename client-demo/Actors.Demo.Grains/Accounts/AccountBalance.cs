namespace Actors.Demo.Grains.Accounts;

/// <summary>What an account reports after each call.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Balance">The available balance.</param>
/// <param name="PendingOutgoing">Money in outgoing transfers not yet confirmed by their targets.</param>
/// <param name="Version">How many events the account has (its stream version).</param>
[GenerateSerializer, Alias("demo.account-balance")]
public sealed record AccountBalance(string AccountId, decimal Balance, decimal PendingOutgoing, long Version);
