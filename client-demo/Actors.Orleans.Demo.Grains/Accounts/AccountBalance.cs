namespace Actors.Orleans.Demo.Grains.Accounts;

/// <summary>What an account answers after each call.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Balance">The available balance.</param>
/// <param name="PendingOutgoing">Money in outgoing transfers not yet confirmed by their targets.</param>
/// <param name="Version">The confirmed version: how many events the account's stream holds.</param>
[GenerateSerializer, Alias("bank.account-balance")]
public sealed record AccountBalance(
    [property: Id(0)] string AccountId,
    [property: Id(1)] decimal Balance,
    [property: Id(2)] decimal PendingOutgoing,
    [property: Id(3)] int Version);
