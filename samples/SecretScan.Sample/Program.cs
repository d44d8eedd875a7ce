// A demo of what SecretScan.Analyzers reports. Every value here is an invented fake made for this sample.
using System.Net;
using System.Net.Http.Headers;
using System.Text;

var http = new HttpClient();

// SS1904 generic-secret-assignment: a secret-named symbol holding a random literal.
const string PaymentsApiSecret = "q7Lr2NvX9tKpZ4wYb8Hc3MdJ6sFe1UgA";

// SS1905 generic-password-assignment, through NetworkCredential's `password` parameter.
var credentials = new NetworkCredential("svc-reports", "Qm4!vT9#kLp2Wz");

// SS1709 connection-string-password, in an interpolated string.
var host = args.Length > 0 ? args[0] : "db.internal";
var connectionString = $"Server={host};Database=reports;User Id=reports_app;Password=Hx7#pQ2vLm9!Rt;";

// SS1903 http-bearer-token, in the AuthenticationHeaderValue sink.
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "d8Fq2LmZ7xR4vN1pK9sT3wY6bH0cJ5gE");

// SS1904 again: a byte[] key and a key read through Encoding.UTF8.GetBytes.
byte[] webhookHmacKey = { 0x3f, 0x91, 0xc4, 0x0a, 0x7e, 0xd2, 0x58, 0xb6, 0x1c, 0xe9, 0x44, 0xa7, 0x2b, 0x90, 0x6d, 0xf3 };
var signingKey = Encoding.UTF8.GetBytes("Zt5pW8qL2nX7vR4kM9sB6dF3hJ1cG0yA");

// Not reported: reads from the environment, placeholders, UI text.
var fromEnvironment = Environment.GetEnvironmentVariable("PAYMENTS_API_SECRET") ?? "";
const string Placeholder = "YOUR_API_KEY";
Console.WriteLine("Enter your password:");

Console.WriteLine($"{PaymentsApiSecret.Length} {credentials.UserName} {connectionString.Length} {webhookHmacKey.Length} {signingKey.Length} {fromEnvironment.Length} {Placeholder}");
