using Governance.Api.Tests.Infrastructure;
using Governance.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Governance.Api.Tests.Console;

/// <summary>
/// A host listening on a real port (a browser cannot reach the in-memory test server) and one headless
/// Chromium driven through WebDriver, shared by the console's browser tests. Chromium and chromedriver
/// are Debian's packages, installed by <c>deploy/dev.sh test</c>; without them every test here fails
/// saying so instead of skipping, so a machine that cannot run them is never mistaken for a green one.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private TestDatabase? _database;
    private ChromeDriver? _driver;

    public GovernanceHost Host { get; private set; } = null!;

    /// <summary>Where the browser reaches the host, e.g. http://127.0.0.1:41234.</summary>
    public string BaseUrl { get; private set; } = "";

    public IWebDriver Driver => _driver ?? throw new InvalidOperationException("The browser did not start.");

    public async Task InitializeAsync()
    {
        var (browser, driver) = (Locate("GOVERNANCE_CHROMIUM", "chromium", "chromium-browser"), Locate("GOVERNANCE_CHROMEDRIVER", "chromedriver"));
        if (browser is null || driver is null)
        {
            throw new InvalidOperationException(
                "The console's browser tests need Debian's chromium and chromium-driver packages: run 'deploy/dev.sh test' (it installs them) "
                + "or 'apt-get install -y --no-install-recommends chromium chromium-driver' (or set GOVERNANCE_CHROMIUM / GOVERNANCE_CHROMEDRIVER).");
        }

        _database = await TestDatabase.CreateAsync();
        var port = FreePorts.Next();
        BaseUrl = $"http://127.0.0.1:{port}";
        Host = new GovernanceHost(HostSettings.For(_database) with
        {
            // The test host's own redirect URI stays first; this one is where the browser comes back.
            Extra = new Dictionary<string, string> { ["Governance:Tokens:ConsoleRedirectUris:1"] = $"{BaseUrl}/console/callback" },
        });
        Host.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, port));
        Host.StartServer();
        Host.BaseAddress = new Uri(BaseUrl);

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driver)!, Path.GetFileName(driver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = browser };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,900", "--lang=en-GB", "--disable-gpu");
        _driver = new ChromeDriver(service, options, Patience);
        _driver.Manage().Timeouts().PageLoad = Patience;
    }

    public async Task DisposeAsync()
    {
        _driver?.Quit();
        _driver?.Dispose();
        if (_database is not null)
        {
            await Host.DisposeAsync();
            await _database.DisposeAsync();
        }
    }

    /// <summary>Waits (up to 20 s) until <paramref name="condition"/> holds; fails with <paramref name="what"/> otherwise.</summary>
    public T Until<T>(Func<IWebDriver, T> condition, string what)
    {
        var wait = new WebDriverWait(Driver, Patience) { Message = $"waited 20 s for {what}" };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            return wait.Until(condition)!;
        }
        catch (WebDriverTimeoutException timeout)
        {
            // What the page said is usually the reason (an API error shown in place of a view).
            throw new WebDriverTimeoutException($"{timeout.Message} at {Driver.Url}; the page shows: {PageText()}", timeout);
        }
    }

    /// <summary>The first visible element matching <paramref name="css"/>, once there is one.</summary>
    public IWebElement Element(string css) =>
        Until(d => d.FindElements(By.CssSelector(css)).FirstOrDefault(e => e.Displayed), $"an element '{css}'")!;

    private string PageText()
    {
        try
        {
            return Driver.FindElement(By.TagName("body")).Text is var text && text.Length > 1500 ? text[..1500] : Driver.FindElement(By.TagName("body")).Text;
        }
        catch (WebDriverException)
        {
            return "(unreadable)";
        }
    }

    /// <summary>Starts from nothing: no token in the tab, no sign-in cookie at the token server.</summary>
    public void Reset()
    {
        Driver.Navigate().GoToUrl($"{BaseUrl}/console/");
        Driver.Manage().Cookies.DeleteAllCookies();
        ((IJavaScriptExecutor)Driver).ExecuteScript("sessionStorage.clear();");
        Driver.Navigate().GoToUrl($"{BaseUrl}/console/");
    }

    /// <summary>Signs a person in as they would: the console's button, the token server's page, back to the console.</summary>
    public void SignIn(string tenant, string username, string password, string hash = "")
    {
        Reset();
        if (hash.Length > 0)
        {
            Driver.Navigate().GoToUrl($"{BaseUrl}/console/{hash}");
        }

        Element("#sign-in").Click();
        Element("#tenant").SendKeys(tenant);
        Element("#username").SendKeys(username);
        Element("#password").SendKeys(password);
        Element("form button[type=submit]").Click();
        Until(d => d.FindElement(By.Id("main")).GetAttribute("data-ready") is { Length: > 0 }, "the console to show a view after sign-in");
    }

    /// <summary>Waits for the current view to finish rendering after navigation to <paramref name="hash"/>.</summary>
    public void Open(string hash)
    {
        ((IJavaScriptExecutor)Driver).ExecuteScript("document.getElementById('main').removeAttribute('data-ready');");
        Driver.Navigate().GoToUrl($"{BaseUrl}/console/{hash}");
        Until(d => d.FindElement(By.Id("main")).GetAttribute("data-ready") is { Length: > 0 }, $"the view {hash} to render");
    }

    /// <summary>
    /// Saves what the browser shows to .data/screenshots/{name}.png on every run; with UPDATE_SCREENSHOTS=1 to
    /// docs/screenshots, the copies README and docs/console.md show (random tenant ids and times would
    /// otherwise change the committed images on every run).
    /// </summary>
    public void Screenshot(string name)
    {
        var directory = Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(RepositoryRoot(), "docs", "screenshots")
            : Path.Combine(RepositoryRoot(), ".data", "screenshots");
        Directory.CreateDirectory(directory);
        // From the top: the view's heading and first section are what a reader of the docs needs to see.
        ((IJavaScriptExecutor)Driver).ExecuteScript("document.activeElement?.blur(); window.scrollTo(0, 0);");
        ((ITakesScreenshot)Driver).GetScreenshot().SaveAsFile(Path.Combine(directory, $"{name}.png"));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Governance.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Governance.sln not found above the test binaries.");
    }

    private static string? Locate(string variable, params string[] names)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .SelectMany(dir => names.Select(name => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
