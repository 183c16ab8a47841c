namespace Actors.Hosting.Tests.Gateway;

public interface ITestGatewayGrain : IGrainWithStringKey
{
    Task<int> Add(int a, int b);

    Task<string> Echo(string text);

    ValueTask<string> Who();

    Task Fail(string message);

    Task<int> Hang();

    Task<int> Gate(int value);

    Task<string> Big(int length);

    Task Nothing();
}
