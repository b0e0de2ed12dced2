// The SDK clients these tests create warn about Node.js < 22 (a notice about future SDK
// releases); it says nothing about the code under test.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
