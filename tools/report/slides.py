"""What the write-up asks, slide by slide, in the handout's order.

This list is the single source of the deck: `report template` draws it into
report_template.pptx, `report fill` finds each slide by its key and fills the
answer area, and the tests check the titles against it.
"""
from collections import namedtuple

# key:    stable id, stored as the slide's name in the .pptx (fill looks slides up by it)
# title:  the slide title students tag in Gradescope
# ask:    the question, stated on the slide
# answer: what goes in the answer area: "text", "image" or "table"
Slide = namedtuple("Slide", "key title ask answer")

PAPER1 = ("Paper 1: Geirhos et al., \"ImageNet-trained CNNs are biased towards texture; increasing "
          "shape bias improves accuracy and robustness\" (ICLR 2019)")
PAPER2 = ("Paper 2: Zamir et al., \"Taskonomy: Disentangling Task Transfer Learning\" (CVPR 2018)")
WORD_LIMIT = "At most 350 words."

SLIDES = [
    Slide("q1a", "Theory Q1 (a): the dimensions of A",
          "A 3×3 kernel W is applied to a single-channel 3×3 input X with stride 4 and zero padding 2 "
          "(cross-correlation: the kernel is not flipped). Flatten X row-major, without the padding, "
          "into x, and the output Y row-major into y, so that y = A x. What are the dimensions of A? "
          "Show your work.", "text"),
    Slide("q1b", "Theory Q1 (b): the entries of A",
          "Write down every entry of A for the convolution of Q1 (a), in terms of w(0,0) … w(2,2). "
          "Show your work.", "text"),
    Slide("q2_x2", "Theory Q2: W and b at x = 2",
          "For h(x) = W3·max{0, W2·max{0, W1·x + b1} + b2} + b3 with W1 = [1.5, 0.5]ᵀ, b1 = [0, 1]ᵀ, "
          "W2 = [[1, 2], [2, 1]], b2 = [0, 1]ᵀ, W3 = [1, 1], b3 = −1: find W and b with "
          "dh/dx at x0 = W and W·x0 + b = h(x0), at x0 = 2. Show your work.", "text"),
    Slide("q2_xm1", "Theory Q2: W and b at x = −1",
          "The network of Q2: find W and b (the slope of h at x0 and the intercept with "
          "W·x0 + b = h(x0)) at x0 = −1. Show your work.", "text"),
    Slide("q2_x1", "Theory Q2: W and b at x = 1",
          "The network of Q2: find W and b (the slope of h at x0 and the intercept with "
          "W·x0 + b = h(x0)) at x0 = 1. Show your work.", "text"),
    Slide("q3", "Theory Q3: dead ReLU neurons",
          "A ReLU gives zero gradient wherever its input is negative, which can create \"dead\" "
          "neurons. In practice this is seldom a serious problem. Why?", "text"),
    Slide("paper_choice", "Paper review: your choice",
          "Choose ONE paper and say which.\n" + PAPER1 + "\n" + PAPER2, "text"),
    Slide("paper_review", "Paper review: the review",
          "A short review of the paper you chose: its main contribution and key insights; its "
          "strengths and weaknesses; your personal takeaway (novelty against other work you "
          "know, future directions the authors did not address, anything noteworthy). "
          + WORD_LIMIT, "text"),
    Slide("paper1_q1", "Paper 1 (texture bias), question 1",
          "Why would we care about the biases of a neural network, even if it does well on the "
          "training set? Should we want the network to have the same biases as humans? Why or "
          "why not? " + WORD_LIMIT + " (Answer only if you chose Paper 1.)", "text"),
    Slide("paper1_q2", "Paper 1 (texture bias), question 2",
          "Why would training on stylized images change the bias of the network, and why might "
          "this bias generalize better to datasets with corruptions? " + WORD_LIMIT
          + " (Answer only if you chose Paper 1.)", "text"),
    Slide("paper2_q1", "Paper 2 (Taskonomy), question 1",
          "Do the task pairs with stronger arrows (better transfer) make sense? Pick one pair "
          "that transfers well and one that transfers badly and conjecture why, reasoning about "
          "low-level (edges), mid-level (parts) and high-level (abstract, classification) "
          "features. " + WORD_LIMIT + " (Answer only if you chose Paper 2.)", "text"),
    Slide("paper2_q2", "Paper 2 (Taskonomy), question 2",
          "What does this say about using deep learning across tasks in practice? How could this "
          "information help guess where to transfer from for a new target task? " + WORD_LIMIT
          + " (Answer only if you chose Paper 2.)", "text"),
    Slide("part1_curve", "Part 1: training curve",
          "The plot of training accuracy from the notebook's experiment: the given ConvNet "
          "trained on 50 CIFAR-10 images (final accuracy slightly under 0.9). Paste train.png.",
          "image"),
    Slide("mymodel_arch", "MyModel: architecture",
          "Describe your network (section 2.2): its layers, and why you designed it this way. "
          "Borrowed ideas are fine; a published network as-is is not.", "text"),
    Slide("mymodel_hparams", "MyModel: hyper-parameters",
          "The training set-up of your network: optimiser, learning rate and schedule, batch "
          "size, epochs, regularisation, data augmentation, and how you chose them.", "text"),
    Slide("mymodel_acc", "MyModel: final accuracy",
          "The final test accuracy of your network on CIFAR-10 (the checkpoint you submit).",
          "text"),
    Slide("lt_ce", "Long-tailed CIFAR-10: ResNet-32 with CE",
          "ResNet-32 trained with cross-entropy on the long-tailed (imbalanced) CIFAR-10: the "
          "per-class test accuracy for classes 0 to 9, and the overall accuracy. Tune it to get "
          "the best result you can.", "table"),
    Slide("lt_beta", "Long-tailed CIFAR-10: CB focal loss for several β",
          "ResNet-32 with the class-balanced focal loss on the long-tailed data, for several "
          "values of β: per-class test accuracy for classes 0 to 9, and the overall accuracy, "
          "one row per β.", "table"),
    Slide("lt_ce_vs_focal", "Long-tailed CIFAR-10: CE against CB focal loss",
          "Your best ResNet-32 with CE against your best with CB focal loss: per-class test "
          "accuracy for classes 0 to 9, and the overall accuracy.", "table"),
    Slide("lt_explain", "Long-tailed CIFAR-10: observations and explanations",
          "What do you observe in the tables above (the effect of β; CE against CB focal, on "
          "frequent and rare classes)? Explain why, with deep-learning reasoning, not only "
          "what happened.", "text"),
]

TITLE = "CS7643 Assignment 2: CNNs on CIFAR-10, write-up"
TITLE_ASK = "Name, GT username, and the collaborators you discussed with (or \"none\")."

KEYS = [s.key for s in SLIDES]
BY_KEY = {s.key: s for s in SLIDES}
